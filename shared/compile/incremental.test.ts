// compileSnapshot reuses the model of a Service whose documents are the same objects as in an earlier compile. It
// must give exactly what a compile from scratch gives, whatever changed in between.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Resource } from "../resources/resource";
import * as B from "../validate/testing/bookinfo";
import * as G from "../validate/testing/gamma";
import { loadResources } from "../validate/testing/load";
import { compileSnapshot } from "./index";

const POLICIES = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ratings-viewer}
spec:
  selector: {matchLabels: {app: ratings}}
  action: ALLOW
  rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/reviews"]}}], to: [{operation: {methods: [GET]}}]}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: details}
spec:
  targetRef: {kind: Service, name: details}
  retry: {attempts: 2, retryOn: "5xx"}
  timeouts: {request: 2s}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: mesh-deny-admin, namespace: istio-system}
spec:
  action: DENY
  rules: [{to: [{operation: {paths: ["/admin"]}}]}]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: reviews-jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {app: reviews}}
  jwtRules: [{issuer: "https://issuer.example.com", jwks: '{"keys":[]}'}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict-echo, namespace: team-a}
spec:
  targetRef: {kind: Service, name: echo}
  mtls: {mode: STRICT}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: team-a, namespace: team-a}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: echo, namespace: team-a}
spec:
  targetRef: {kind: Service, name: echo}
  timeouts: {request: 3s}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: echo, namespace: team-a}
spec: {endpoints: [{url: "http://127.0.0.1:9001"}]}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: details, namespace: team-a}
spec: {endpoints: [{url: "http://127.0.0.1:9002"}]}
---
apiVersion: flaremesh.dev/v1alpha1
kind: MeshConfig
metadata: {name: default}
spec: {defaultTimeout: 5s}
`;

const BASE = loadResources(
  B.BOOKINFO_SERVICES,
  G.REVIEWS_VERSION_SERVICES,
  B.DESTINATION_RULE_ALL,
  B.VIRTUAL_SERVICE_REVIEWS_50_V3,
  G.HTTPROUTE_REVIEWS_JASON.replace(/name: reviews$/gm, "name: ratings"),
  POLICIES,
);
const AT = "2026-11-27T00:00:00.000Z";

/** A copy of `resource` with one leaf of its spec changed (string, number or boolean), chosen by `pick`. */
function edited(resource: Resource, pick: number): Resource {
  const copy = structuredClone(resource) as Resource & { spec: unknown; metadata: { labels?: Record<string, string> } };
  const leaves: [Record<string, unknown>, string][] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== "object") return;
    for (const [k, inner] of Object.entries(v)) {
      if (inner !== null && typeof inner === "object") walk(inner);
      else leaves.push([v as Record<string, unknown>, k]);
    }
  };
  walk(copy.spec);
  if (leaves.length === 0) {
    copy.metadata.labels = { ...copy.metadata.labels, edited: String(pick) };
    return copy;
  }
  const [parent, key] = leaves[pick % leaves.length]!;
  const value = parent[key];
  parent[key] = typeof value === "number" ? value + 1 : typeof value === "boolean" ? !value : `${String(value)}x`;
  return copy;
}

/** compileSnapshot's answer, or the error it threw (a spec edit may make a document uncompilable). */
function outcome(resources: Resource[]): unknown {
  try {
    return compileSnapshot(resources, 1, AT);
  } catch (err) {
    return { threw: String(err) };
  }
}

describe("compileSnapshot reusing unchanged Services", () => {
  it("equals a compile from scratch after any sequence of edits, removals and re-additions", () => {
    const step = fc.record({
      op: fc.constantFrom("edit", "edit", "remove", "restore", "label", "mtls"),
      index: fc.nat(),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const current = [...BASE];
        const removed: Resource[] = [];
        outcome(current); // the first compile fills what later ones reuse
        for (const { op, index, pick } of steps) {
          const i = index % current.length;
          if (op === "edit") current[i] = edited(current[i]!, pick);
          else if (op === "remove" && current.length > 1) removed.push(...current.splice(i, 1));
          else if (op === "restore" && removed.length > 0) current.push(removed.splice(pick % removed.length, 1)[0]!);
          else if (op === "mtls") {
            // The mesh's default mTLS mode, which the models whose peer mode no PeerAuthentication decides take.
            const mode = [undefined, "STRICT", "PERMISSIVE", "DISABLE"][pick % 4];
            const at = current.findIndex((r) => r.kind === "MeshConfig");
            if (at >= 0) {
              const { defaultMtlsMode: _, ...spec } = current[at]!.spec as { defaultMtlsMode?: string };
              current[at] = {
                ...current[at]!,
                spec: mode === undefined ? spec : { ...spec, defaultMtlsMode: mode },
              } as Resource;
            }
          } else if (op === "label") {
            const r = structuredClone(current[i]!);
            r.metadata = { ...r.metadata, labels: { ...r.metadata.labels, tier: `t${pick % 3}` } };
            current[i] = r;
          }
          expect(outcome(current)).toEqual(outcome(structuredClone(current)));
        }
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it("hands back the same model object for a Service nothing touched, and a new one for the one edited", () => {
    const first = compileSnapshot(BASE, 1, AT);
    const i = BASE.findIndex((r) => r.kind === "Service" && r.metadata.name === "details");
    const next = [...BASE];
    next[i] = edited(BASE[i]!, 0);
    const second = compileSnapshot(next, 2, AT);
    expect(second.services["default/productpage"]).toBe(first.services["default/productpage"]);
    expect(second.services["default/details"]).not.toBe(first.services["default/details"]);
    expect(Object.isFrozen(second.services["default/productpage"])).toBe(true);
    // A new Service no route names changes no other model.
    const svc = BASE[i]!;
    const extra = { ...svc, metadata: { ...svc.metadata, name: "extra" } } as Resource;
    const third = compileSnapshot([...next, extra], 3, AT);
    expect(third.services["default/productpage"]).toBe(first.services["default/productpage"]);
    expect(third.services["default/reviews"]).toBe(second.services["default/reviews"]);
  });

  it("recompiles for a policy change only the Services the policy could apply to", () => {
    const first = compileSnapshot(BASE, 1, AT);
    const replaced = (kind: string, namespace: string, name: string, spec: object) =>
      BASE.map((r) =>
        r.kind === kind && r.metadata.namespace === namespace && r.metadata.name === name
          ? ({ ...r, spec: { ...(r.spec as object), ...spec } } as Resource)
          : r,
      );
    // A TrafficPolicy with a targetRef: its Service only.
    const second = compileSnapshot(replaced("TrafficPolicy", "team-a", "echo", { timeouts: { request: "4s" } }), 2, AT);
    expect(second.services["team-a/echo"]).not.toBe(first.services["team-a/echo"]);
    expect(second.services["team-a/echo"]!.policy).not.toEqual(first.services["team-a/echo"]!.policy);
    expect(second.services["team-a/details"]).toBe(first.services["team-a/details"]);
    expect(second.services["default/details"]).toBe(first.services["default/details"]);
    // A namespace-wide policy: the Services of its namespace.
    const third = compileSnapshot(
      replaced("PeerAuthentication", "team-a", "team-a", { mtls: { mode: "STRICT" } }),
      3,
      AT,
    );
    expect(third.services["team-a/details"]!.policy.security).not.toEqual(
      first.services["team-a/details"]!.policy.security,
    );
    expect(third.services["default/details"]).toBe(first.services["default/details"]);
    // A selector policy: the Services whose labels it matches, before or after the change.
    const methods = [{ from: [], to: [{ operation: { methods: ["GET", "HEAD"] } }] }];
    const viewer = compileSnapshot(
      replaced("AuthorizationPolicy", "default", "ratings-viewer", { rules: methods }),
      5,
      AT,
    );
    expect(viewer.services["default/ratings"]!.policy.security).not.toEqual(
      first.services["default/ratings"]!.policy.security,
    );
    expect(viewer.services["default/details"]).toBe(first.services["default/details"]);
    expect(viewer.services["default/productpage"]).toBe(first.services["default/productpage"]);
    const moved = compileSnapshot(
      replaced("AuthorizationPolicy", "default", "ratings-viewer", { selector: { matchLabels: { app: "details" } } }),
      6,
      AT,
    );
    for (const key of ["default/ratings", "default/details"])
      expect(moved.services[key]!.policy.security).not.toEqual(first.services[key]!.policy.security);
    expect(moved.services["default/productpage"]).toBe(first.services["default/productpage"]);
    // (Compiled once more as it was: the held models are the latest compile's.)
    const again = compileSnapshot(BASE, 7, AT);
    const unmatched = compileSnapshot(
      replaced("AuthorizationPolicy", "default", "ratings-viewer", { selector: { matchLabels: { team: "none" } } }),
      8,
      AT,
    );
    expect(unmatched.services["default/ratings"]!.policy.security).not.toEqual(
      again.services["default/ratings"]!.policy.security,
    );
    expect(unmatched.services["default/details"]).toBe(again.services["default/details"]);
    // A policy in the root namespace: every Service.
    const rules = [{ to: [{ operation: { paths: ["/admin", "/debug"] } }] }];
    const fourth = compileSnapshot(
      replaced("AuthorizationPolicy", "istio-system", "mesh-deny-admin", { rules }),
      4,
      AT,
    );
    for (const key of ["default/details", "team-a/details", "team-a/echo"])
      expect(fourth.services[key]!.policy.security).not.toEqual(first.services[key]!.policy.security);
  });

  it("keeps every model through any MeshConfig change, its default mTLS mode included", () => {
    // Without the default namespace's PeerAuthentication, the mesh's default mode decides for its Services.
    const base = BASE.filter((r) => !(r.kind === "PeerAuthentication" && r.metadata.namespace === "default"));
    const withMesh = (spec: object) =>
      base.map((r) => (r.kind === "MeshConfig" ? ({ ...r, spec: { ...(r.spec as object), ...spec } } as Resource) : r));
    const first = compileSnapshot(base, 1, AT);
    // Defaults, tracing, address ranges and the default mTLS mode go to the snapshot's mesh settings, not into any
    // Service's model (the proxy applies the default mode where a model has none).
    for (const [revision, spec] of [
      [2, { defaultTimeout: "7s", tracing: { samplingPercent: 5 }, allowedEndpointCidrs: ["10.0.0.0/8"] }],
      [3, { defaultMtlsMode: "STRICT" }],
      [4, { defaultMtlsMode: "DISABLE" }],
    ] as const) {
      const changed = withMesh(spec);
      const next = compileSnapshot(changed, revision, AT);
      expect(next.mesh).not.toEqual(first.mesh);
      for (const key of Object.keys(first.services)) expect(next.services[key]).toBe(first.services[key]);
      expect(next).toEqual(compileSnapshot(structuredClone(changed), revision, AT));
    }
    expect(first.services["default/details"]!.policy.security?.peerAuthentication).toEqual({});
  });

  it("recompiles a Service whose routes name a Service that came or went", () => {
    const first = compileSnapshot(BASE, 1, AT);
    // ratings' HTTPRoute sends to reviews-v2 and reviews-v1: without the reviews-v2 Service, that backend goes.
    const without = BASE.filter((r) => !(r.kind === "Service" && r.metadata.name === "reviews-v2"));
    const second = compileSnapshot(without, 2, AT);
    const backends = (s: typeof first) =>
      s.services["default/ratings"]!.routes.flatMap((r) => r.backends.map((b) => b.service));
    expect(backends(first)).toContain("default/reviews-v2");
    expect(backends(second)).not.toContain("default/reviews-v2");
    expect(second.services).toEqual(compileSnapshot(structuredClone(without), 2, AT).services);
    expect(second.services["default/productpage"]).toBe(first.services["default/productpage"]);
    // And back: the same model as a compile from scratch again.
    const third = compileSnapshot(BASE, 3, AT);
    expect(backends(third)).toContain("default/reviews-v2");
  });
});
