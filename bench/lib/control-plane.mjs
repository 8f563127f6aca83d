// Applies through the control API, timed, and config propagation: apply → the proxy serving the new revision.
/* global performance */
import { stringify } from "yaml";
import { request } from "../../scripts/lib/local-mesh.mjs";
import { meshConfig, probeConfig } from "./config.mjs";
import { round } from "./load.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

export function percentile(values, p) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const summary = (values) => ({
  n: values.length,
  p50: round(percentile(values, 50), 1),
  p99: round(percentile(values, 99), 1),
  max: round(Math.max(...values), 1),
});

export async function applyYaml(control, docs) {
  const body = docs.map((d) => stringify(d)).join("---\n");
  const t0 = now();
  const res = await control.api("POST", "/v1/apply", body);
  const ms = now() - t0;
  if (res.status !== 200) throw new Error(`apply failed: ${res.status} ${res.body.slice(0, 500)}`);
  return { ms, revision: res.json.revision };
}

export async function applyJson(control, docs) {
  const t0 = now();
  const res = await control.api("POST", "/v1/apply", JSON.stringify(docs), { contentType: "application/json" });
  const ms = now() - t0;
  if (res.status !== 200) throw new Error(`apply failed: ${res.status} ${res.body.slice(0, 500)}`);
  return { ms, revision: res.json.revision, bytes: JSON.stringify(docs).length };
}

/**
 * `count` applies of the probe Service, each with a new response-header value; for each, the apply's own time, the
 * time from its answer to the first proxied response carrying the new value, and their sum (what a user waits).
 * The proxy polls when a request finds its copy older than the refresh interval (250 ms), so a faster apply leaves
 * a longer wait after it: compare the sums.
 */
export async function propagation(control, proxy, upstreamUrl, count, label) {
  const lags = [];
  const applies = [];
  const totals = [];
  let timeouts = 0;
  for (let i = 0; i < count; i++) {
    const value = `${label}-${i}-${Date.now()}`;
    const applied = await applyYaml(control, probeConfig({ upstreamUrl, value }));
    applies.push(applied.ms);
    const t0 = now();
    for (;;) {
      const res = await request(proxy.port, "probe.localhost", "/probe");
      if (res.headers["x-bench-rev"] === value) {
        lags.push(now() - t0);
        totals.push(applied.ms + lags.at(-1));
        break;
      }
      if (now() - t0 > 10_000) {
        timeouts++;
        lags.push(Infinity);
        totals.push(Infinity);
        break;
      }
      await sleep(2);
    }
    // Decorrelate applies from the proxy's refresh timer.
    await sleep(Math.random() * 100);
  }
  return {
    applyToServedMs: summary(lags),
    applyMs: summary(applies),
    applyStartToServedMs: summary(totals),
    timeouts,
  };
}

/** Each MeshConfig setting switched: its spec when on or off, how the probe shows it, its results' prefix. */
const MESH_SWITCHES = {
  tracing: {
    prefix: "meshConfig",
    spec: (on) => ({ tracing: { propagation: on ? ["tracecontext", "b3"] : ["tracecontext"] } }),
    served: (res, on) => res.headers["x-bench-saw-b3"] === (on ? "1" : "0"),
  },
  mtls: {
    prefix: "mtlsMode",
    spec: (on) => ({ defaultMtlsMode: on ? "STRICT" : "PERMISSIVE" }),
    served: (res, on) => res.status === (on ? 401 : 200),
  },
};

/**
 * `count` applies of the MeshConfig alone, switching one setting back and forth; for each, the apply's own time and
 * the time from it to the first probe request that shows the new setting. The MeshConfig is deleted afterwards.
 * - `tracing`: B3 propagation (`tracing.propagation`), seen by the probe's upstream. It enters no Service's
 *   compiled model, so what this measures is the mesh settings reaching the proxy.
 * - `mtls`: `defaultMtlsMode` PERMISSIVE / STRICT, seen as the probe's answer without an identity (200 / 401). No
 *   PeerAuthentication decides for the large mesh's Services: the proxy applies the new mode to every one of them
 *   (since snapshot format 2 their models leave the mode to the mesh and stay as they are).
 */
export async function meshConfigPropagation(control, proxy, count, setting = "tracing") {
  const { prefix, spec, served } = MESH_SWITCHES[setting];
  const applies = [];
  const totals = [];
  let timeouts = 0;
  for (let i = 0; i < count; i++) {
    // Off first: without a MeshConfig every format is written, B3 included (and the default mode is PERMISSIVE).
    const on = i % 2 === 1;
    const applied = await applyJson(control, [meshConfig(spec(on))]);
    applies.push(applied.ms);
    const t0 = now();
    for (;;) {
      if (served(await request(proxy.port, "probe.localhost", "/probe"), on)) {
        totals.push(applied.ms + now() - t0);
        break;
      }
      if (now() - t0 > 10_000) {
        timeouts++;
        totals.push(Infinity);
        break;
      }
      await sleep(2);
    }
    await sleep(Math.random() * 100);
  }
  const removed = await control.api("DELETE", "/v1/resources/MeshConfig/default/default");
  if (removed.status !== 200) throw new Error(`MeshConfig delete failed: ${removed.status} ${removed.body}`);
  return {
    [`${prefix}ApplyMs`]: summary(applies),
    [`${prefix}ApplyStartToServedMs`]: summary(totals),
    [`${prefix}Timeouts`]: timeouts,
  };
}

/**
 * Applies of a policy at size: `count` of a TrafficPolicy with a targetRef (one Service: `target`), then `count` of
 * a namespace-wide AuthorizationPolicy (every Service of the namespace; it denies a path nothing requests), each
 * with a new value. What an apply costs when it changes a policy rather than a Service's own documents.
 */
export async function policyApplies(control, { namespace = "default", target, count }) {
  const targeted = [];
  const namespaceWide = [];
  for (let i = 0; i < count; i++) {
    const policy = {
      apiVersion: "flaremesh.dev/v1alpha1",
      kind: "TrafficPolicy",
      metadata: { name: `bench-${target}`, namespace },
      spec: { targetRef: { kind: "Service", name: target }, timeouts: { request: `${10 + i}s` } },
    };
    targeted.push((await applyJson(control, [policy])).ms);
  }
  for (let i = 0; i < count; i++) {
    const policy = {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: { name: "bench-namespace-deny", namespace },
      spec: { action: "DENY", rules: [{ to: [{ operation: { paths: [`/bench-never-${i}`] } }] }] },
    };
    namespaceWide.push((await applyJson(control, [policy])).ms);
  }
  const selected = [];
  for (let i = 0; i < count; i++) {
    const policy = {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: { name: `bench-selector-${target}`, namespace },
      spec: {
        selector: { matchLabels: { app: target } },
        action: "DENY",
        rules: [{ to: [{ operation: { paths: [`/bench-never-${i}`] } }] }],
      },
    };
    selected.push((await applyJson(control, [policy])).ms);
  }
  return {
    targetedPolicyApplyMs: summary(targeted),
    selectorPolicyApplyMs: summary(selected),
    namespacePolicyApplyMs: summary(namespaceWide),
  };
}
