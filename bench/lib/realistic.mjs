// Puts a running control plane + proxy (of any version: they are used through `api` and `port` only) under the
// benchmark's realistic configuration, and returns the headers of the benchmark request, with a real identity token.
import { stringify } from "yaml";
import { request } from "../../scripts/lib/local-mesh.mjs";
import { BENCH_PATH, BENCH_TENANT, CLIENT_SERVICE, meshConfig, realisticConfig } from "./config.mjs";

const only = (test) => (docs) => docs.filter(test);
/** The VirtualService's routes without their response header edit (`x-bench-route`); everything else as it is. */
const withoutResponseEdits = (docs) =>
  docs.map((d) =>
    d.kind !== "VirtualService"
      ? d
      : { ...d, spec: { ...d.spec, http: d.spec.http.map(({ headers: _edit, ...route }) => route) } },
  );
/**
 * Variants of the configuration, as functions of its documents: the full one, less of it (to see what each part
 * costs), or it with one setting changed.
 */
export const VARIANTS = {
  full: (docs) => docs,
  "no-sink": only((d) => d.kind !== "TelemetrySink"),
  "no-security": only((d) => !["TelemetrySink", "PeerAuthentication", "AuthorizationPolicy"].includes(d.kind)),
  bare: only((d) => d.kind === "Service"),
  // MeshConfig tracing.propagation: W3C headers only, no B3 (docs/observability.md).
  "w3c-only": (docs) => [...docs, meshConfig({ tracing: { propagation: ["tracecontext"] } })],
  // Routes that edit no response header; the proxy still answers with x-request-id (one copy of the response).
  "no-response-edits": withoutResponseEdits,
  // The same, and MeshConfig requestId.setInResponse: false: the upstream's answer goes back as it came.
  untouched: (docs) => [...withoutResponseEdits(docs), meshConfig({ requestId: { setInResponse: false } })],
};

/** `variant` shapes the configuration's documents (one of VARIANTS; default the full configuration). */
export async function applyRealistic({ control, proxy, upstream, variant = VARIANTS.full }) {
  const body = variant(realisticConfig({ upstreamUrl: upstream.url, receiverUrl: upstream.receiverUrl, strict: true }))
    .map((d) => stringify(d))
    .join("---\n");
  const applied = await control.api("POST", "/v1/apply", body);
  if (applied.status !== 200) throw new Error(`apply: ${applied.status} ${applied.body}`);
  const cred = await control.api("POST", "/v1/credentials", JSON.stringify({ service: CLIENT_SERVICE }), {
    contentType: "application/json",
  });
  if (cred.status !== 201) throw new Error(`credential: ${cred.status} ${cred.body}`);
  const issued = await control.api("POST", "/v1/identity/token", undefined, { token: cred.json.credential });
  if (issued.status !== 200) throw new Error(`identity token: ${issued.status} ${issued.body}`);
  const headers = { host: "bench.localhost", "x-tenant": BENCH_TENANT, "x-mesh-identity": issued.json.token };
  const deadline = Date.now() + 10_000;
  while ((await request(proxy.port, "bench.localhost", BENCH_PATH, { headers })).status !== 200) {
    if (Date.now() > deadline) throw new Error("the proxy did not serve the realistic configuration within 10 s");
    await new Promise((r) => setTimeout(r, 20));
  }
  return headers;
}
