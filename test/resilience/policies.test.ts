// Circuit breaking, outlier detection, active health checks, rate limits, fault injection and static
// stability, through the real proxy and control plane in workerd, against real loopback upstreams.
import { describe, expect, it } from "vitest";
import type { TestMesh } from "../helpers/local-mesh";
import { useMeshWithUpstreams } from "./fixture";
import { applyAndSettle, pollFor, service } from "./mesh-control";

const fixture = useMeshWithUpstreams();
const upstream = fixture.upstream;

const noRetries = (host: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${host}
spec:
  hosts: [${host}]
  http:
    - retries: {attempts: 0}
      route: [{destination: {host: ${host}}}]
`;

describe("circuit breaker", () => {
  it("lets max concurrent + max pending through and refuses the rest with 503 circuit_open", async () => {
    const slow = await upstream({ kind: "ok", name: "slow", delayMs: 400 });
    await applyAndSettle(
      fixture.mesh,
      service("cb", [slow.url]) +
        `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: cb
spec:
  host: cb
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}
`,
    );
    const answers = await Promise.all(Array.from({ length: 5 }, () => fixture.mesh.fetch("cb.localhost", "/")));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503, 503]);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.headers["x-mesh-error"]).toBe("circuit_open");
      expect(JSON.parse(a.body).error.code).toBe("circuit_open");
    }
    // The refused requests never reached the upstream (and were not retried).
    expect(slow.hits).toHaveLength(2);
  });
});

describe("outlier detection", () => {
  it("ejects an endpoint after consecutive 5xx, then brings it back through a probe", async () => {
    const bad = await upstream({ kind: "status", status: 500 });
    const good = await upstream({ kind: "ok", name: "good" });
    await applyAndSettle(
      fixture.mesh,
      service("od", [bad.url, good.url]) +
        noRetries("od") +
        `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: od
spec:
  host: od
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 1s, maxEjectionPercent: 100}
`,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await fixture.mesh.fetch("od.localhost", "/")).status);
    expect(bad.hits).toHaveLength(2);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    // After the ejection time the next request probes it; now healthy, it is back in rotation.
    bad.behave({ kind: "ok", name: "bad-recovered" });
    await new Promise((r) => setTimeout(r, 1100));
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(JSON.parse((await fixture.mesh.fetch("od.localhost", "/")).body).name);
    expect(names).toEqual(new Set(["bad-recovered", "good"]));
  });
});

describe("active health checks", () => {
  it("takes an endpoint failing its health check out of every proxy's rotation, and back", async () => {
    const sick = await upstream({ kind: "ok", name: "sick" });
    const well = await upstream({ kind: "ok", name: "well" });
    sick.setHealth(500);
    await applyAndSettle(
      fixture.mesh,
      service(
        "hc",
        [sick.url, well.url],
        `  healthCheck: {path: /healthz, interval: 100ms, timeout: 500ms, unhealthyThreshold: 2, healthyThreshold: 2}
`,
      ) + noRetries("hc"),
    );
    await pollFor(fixture.mesh, 1200);
    for (let i = 0; i < 6; i++) {
      const res = await fixture.mesh.fetch("hc.localhost", "/");
      expect(JSON.parse(res.body).name).toBe("well");
    }
    expect(sick.hits).toHaveLength(0);
    sick.setHealth(200);
    await pollFor(fixture.mesh, 1200);
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(JSON.parse((await fixture.mesh.fetch("hc.localhost", "/")).body).name);
    expect(names).toEqual(new Set(["sick", "well"]));
  });
});

describe("rate limits", () => {
  it("local token bucket: 429 rate_limited with Retry-After once the bucket is empty", async () => {
    const up = await upstream({ kind: "ok", name: "rl" });
    await applyAndSettle(
      fixture.mesh,
      service("rl-local", [up.url]) +
        `---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: rl-local
spec:
  targetRef: {kind: Service, name: rl-local}
  rateLimit:
    local: {requestsPerUnit: 3, unit: minute}
`,
    );
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestMesh["fetch"]>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await fixture.mesh.fetch("rl-local.localhost", "/");
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited!.headers["x-mesh-error"]).toBe("rate_limited");
    expect(Number(limited!.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited!.headers["retry-after"])).toBeLessThanOrEqual(20);
    expect(up.hits).toHaveLength(3);
  });

  it("global limit (RateLimitShard Durable Object) keyed by a header", async () => {
    const up = await upstream({ kind: "ok", name: "rl" });
    await applyAndSettle(
      fixture.mesh,
      service("rl-global", [up.url]) +
        `---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: rl-global
spec:
  targetRef: {kind: Service, name: rl-global}
  rateLimit:
    global: {requestsPerUnit: 2, unit: hour, key: {header: x-user}}
`,
    );
    const as = (user: string) => fixture.mesh.fetch("rl-global.localhost", "/", { headers: { "x-user": user } });
    expect((await as("alice")).status).toBe(200);
    expect((await as("alice")).status).toBe(200);
    const third = await as("alice");
    expect(third.status).toBe(429);
    expect(third.headers["x-mesh-error"]).toBe("rate_limited");
    expect(Number(third.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((await as("bob")).status).toBe(200);
    expect(up.hits).toHaveLength(3);
  });
});

describe("fault injection", () => {
  it("aborts only the requests the route matches, with the configured status and code fault_injected", async () => {
    const up = await upstream({ kind: "ok", name: "f" });
    await applyAndSettle(
      fixture.mesh,
      service("fi", [up.url]) +
        `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: fi
spec:
  hosts: [fi]
  http:
    - match: [{headers: {end-user: {exact: jason}}}]
      fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
      route: [{destination: {host: fi}}]
    - route: [{destination: {host: fi}}]
`,
    );
    const jason = await fixture.mesh.fetch("fi.localhost", "/", { headers: { "end-user": "jason" } });
    expect(jason.status).toBe(418);
    expect(jason.headers["x-mesh-error"]).toBe("fault_injected");
    expect(JSON.parse(jason.body).error.code).toBe("fault_injected");
    expect((await fixture.mesh.fetch("fi.localhost", "/")).status).toBe(200);
    expect(up.hits).toHaveLength(1);
  });

  it("TrafficPolicy delay holds the request before it is sent", async () => {
    const up = await upstream({ kind: "ok", name: "d" });
    await applyAndSettle(
      fixture.mesh,
      service("fd", [up.url]) +
        `---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: fd
spec:
  targetRef: {kind: Service, name: fd}
  fault: {delay: {fixedDelay: 400ms, percentage: 100}}
`,
    );
    const start = Date.now();
    expect((await fixture.mesh.fetch("fd.localhost", "/")).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(380);
  });
});

describe("static stability", () => {
  it("with the control plane unreachable, every policy of the last good revision stays in force", async () => {
    const bad = await upstream({ kind: "status", status: 503 });
    const good = await upstream({ kind: "ok", name: "good" });
    await applyAndSettle(
      fixture.mesh,
      service("ss", [bad.url, good.url]) +
        `---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: ss
spec:
  targetRef: {kind: Service, name: ss}
  retry: {attempts: 2, retryOn: 5xx}
  rateLimit:
    local: {requestsPerUnit: 6, unit: minute}
`,
    );
    const down = await fixture.mesh.api("POST", "/v1/dev/faults", { proxyApi: "unreachable" });
    expect(down.status).toBe(200);
    try {
      await pollFor(fixture.mesh, 800); // several failed polls
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fixture.mesh.fetch("ss.localhost", "/")).status);
      // Retries still route around the bad endpoint; the rate limit still cuts in after 6.
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      expect(good.hits).toHaveLength(6);
    } finally {
      await fixture.mesh.api("POST", "/v1/dev/faults", { proxyApi: "ok" });
    }
  });
});
