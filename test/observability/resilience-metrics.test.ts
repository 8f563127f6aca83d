// The resilience counters reach /metrics, the access log names the denying AuthorizationPolicy (the response
// does not), and MeshConfig tracing.samplingPercent decides new traces while a caller's decision is followed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { applyAndSettle, service } from "../resilience/mesh-control";
import { misbehaving, type Misbehaving } from "../resilience/misbehaving";
import { startReceiver, waitFor, type Receiver } from "./tools";

const FM = "apiVersion: flaremesh.dev/v1alpha1";
const NET = "apiVersion: networking.istio.io/v1";

function config(receiver: Receiver, up: Record<string, Misbehaving>): string {
  return [
    service("rt", [up.failing!.url]),
    `${NET}
kind: VirtualService
metadata: {name: rt}
spec:
  hosts: [rt]
  http:
    - retries: {attempts: 2, retryOn: 5xx}
      route: [{destination: {host: rt}}]`,
    service("od", [up.bad!.url, up.good!.url]),
    `${NET}
kind: VirtualService
metadata: {name: od}
spec:
  hosts: [od]
  http:
    - retries: {attempts: 0}
      route: [{destination: {host: od}}]`,
    `${NET}
kind: DestinationRule
metadata: {name: od}
spec:
  host: od
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}`,
    service("cb", [up.slow!.url]),
    `${NET}
kind: DestinationRule
metadata: {name: cb}
spec:
  host: cb
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}`,
    service("rl", [up.good!.url]),
    `${FM}
kind: TrafficPolicy
metadata: {name: rl}
spec:
  targetRef: {kind: Service, name: rl}
  rateLimit:
    local: {requestsPerUnit: 1, unit: minute}`,
    service("guarded", [up.good!.url]),
    `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-admin}
spec:
  targetRef: {kind: Service, name: guarded}
  action: DENY
  rules:
    - to: [{operation: {paths: ["/admin*"]}}]`,
    `${FM}
kind: TelemetrySink
metadata: {name: logs}
spec: {type: http-json, endpoint: "${receiver.url}/logs", batch: {maxDelay: 100ms}}`,
    `${FM}
kind: TelemetrySink
metadata: {name: spans}
spec: {type: http-json, endpoint: "${receiver.url}/spans", signals: [traces], batch: {maxDelay: 100ms}}`,
    `${FM}
kind: MeshConfig
metadata: {name: default}
spec:
  tracing: {samplingPercent: 0}`,
  ]
    .map((d) => (d.startsWith("---") ? d.slice(4) : d).trim())
    .join("\n---\n");
}

/** Sum of a counter's samples in Prometheus text whose labels include `labels`. */
function counter(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

describe("resilience counters, denying policy in access logs, MeshConfig trace sampling", () => {
  let mesh: TestMesh;
  let receiver: Receiver;
  const up: Record<string, Misbehaving> = {};

  beforeAll(async () => {
    receiver = await startReceiver();
    up.failing = await misbehaving({ kind: "status", status: 503 });
    up.bad = await misbehaving({ kind: "status", status: 500 });
    up.good = await misbehaving({ kind: "ok", name: "good" });
    up.slow = await misbehaving({ kind: "ok", name: "slow", delayMs: 400 });
    mesh = await startMesh();
    await applyAndSettle(mesh, config(receiver, up));
  });
  afterAll(async () => {
    await mesh?.stop();
    await receiver?.stop();
    await Promise.all(Object.values(up).map((u) => u.close()));
  });

  const entries = (prefix: string): Record<string, unknown>[] =>
    receiver.received
      .filter((r) => r.path === prefix)
      .flatMap((r) => (JSON.parse(r.body) as { entries: Record<string, unknown>[] }).entries);

  it("counts retries, ejections, breaker overflows and rate-limited requests per destination in /metrics", async () => {
    // Retry: the upstream always answers 503; 1 try + 2 retries.
    expect((await mesh.fetch("rt.localhost", "/")).status).toBe(503);
    expect(up.failing!.hits).toHaveLength(3);
    // Ejection: two 5xx in a row from `bad` eject it.
    for (let i = 0; i < 6; i++) await mesh.fetch("od.localhost", "/");
    expect(up.bad!.hits).toHaveLength(2);
    // Overflow: 1 in flight + 1 pending, the other three refused.
    const answers = await Promise.all(Array.from({ length: 5 }, () => mesh.fetch("cb.localhost", "/")));
    expect(answers.filter((a) => a.status === 503 && a.headers["x-mesh-error"] === "circuit_open")).toHaveLength(3);
    // Rate limit: one request a minute.
    const limited = [await mesh.fetch("rl.localhost", "/"), await mesh.fetch("rl.localhost", "/")];
    expect(limited.map((r) => r.status)).toEqual([200, 429]);

    const dest = (name: string) => ({ destination_service_name: name, destination_service_namespace: "default" });
    const text = await waitFor(
      "the resilience counters in /metrics",
      async () => {
        const res = await mesh.api("GET", "/metrics");
        expect(res.status).toBe(200);
        const t = res.body;
        const ok =
          counter(t, "mesh_retries_total", dest("rt")) === 2 &&
          counter(t, "mesh_outlier_ejections_total", dest("od")) === 1 &&
          counter(t, "mesh_circuit_breaker_overflows_total", dest("cb")) === 3 &&
          counter(t, "mesh_rate_limited_total", { ...dest("rl"), scope: "local" }) === 1;
        return ok ? t : null;
      },
      5_000,
    );
    // The ejected endpoint is named; nothing is counted against the services that did not misbehave.
    expect(text).toMatch(
      new RegExp(`mesh_outlier_ejections_total\\{[^}]*endpoint="[^"]*127\\.0\\.0\\.1:${up.bad!.port}[^"]*"[^}]*\\} 1`),
    );
    expect(counter(text, "mesh_retries_total", dest("od"))).toBe(0);
    expect(counter(text, "mesh_rate_limited_total", dest("cb"))).toBe(0);
  });

  it("logs the denying AuthorizationPolicy; the 403 answer does not name it", async () => {
    const denied = await mesh.fetch("guarded.localhost", "/admin/users");
    expect(denied.status).toBe(403);
    expect(denied.headers["x-mesh-error"]).toBe("forbidden");
    expect(denied.body).not.toContain("no-admin");
    expect(JSON.stringify(denied.headers)).not.toContain("no-admin");
    const allowed = await mesh.fetch("guarded.localhost", "/public");
    expect(allowed.status).toBe(200);

    const requestId = denied.headers["x-request-id"];
    const allowedId = allowed.headers["x-request-id"];
    const logs = await waitFor("both access log entries", async () => {
      const all = entries("/logs");
      const d = all.find((e) => e.request_id === requestId);
      const a = all.find((e) => e.request_id === allowedId);
      return d && a ? { d, a } : null;
    });
    expect(logs.d).toMatchObject({
      status: 403,
      authz_policy: "default/no-admin",
      error_code: "forbidden",
      destination: { service: "guarded" },
    });
    expect(String(logs.d.response_flags)).toContain("UAEX");
    expect(logs.a.authz_policy).toBeNull();
  });

  it("samples no new trace at MeshConfig samplingPercent 0, but follows a sampled caller", async () => {
    const fresh = await mesh.fetch("guarded.localhost", "/fresh");
    expect(fresh.status).toBe(200);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const followed = await mesh.fetch("guarded.localhost", "/followed", {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(followed.status).toBe(200);

    // The new trace's access log still ships (logs are not sampled) and tells its trace id.
    const freshLog = await waitFor("the unsampled request's access log", async () =>
      entries("/logs").find((e) => e.request_id === fresh.headers["x-request-id"]),
    );
    const freshTrace = String(freshLog.trace_id);
    expect(freshTrace).toMatch(/^[0-9a-f]{32}$/);
    const span = await waitFor("the span of the sampled caller's trace", async () =>
      entries("/spans").find((s) => s.traceId === traceId),
    );
    expect(span).toMatchObject({ parentSpanId: "b7ad6b7169203331", kind: "server" });
    // Spans are shipped in order, so the earlier unsampled request would have arrived by now.
    expect(entries("/spans").filter((s) => s.traceId === freshTrace)).toEqual([]);
    expect(entries("/spans").every((s) => s.traceId === traceId)).toBe(true);
  });
});
