// Retries and timeouts through the real proxy in workerd, against real loopback upstreams that misbehave.
import { describe, expect, it } from "vitest";
import { useMeshWithUpstreams } from "./fixture";
import { applyAndSettle, service, timed } from "./mesh-control";

const fixture = useMeshWithUpstreams();
const upstream = fixture.upstream;

function virtualService(host: string, http: string): string {
  return `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${host}
spec:
  hosts: [${host}]
  http:
${http}`;
}

describe("retries", () => {
  it("retries a 503 on the other endpoint: the client sees the healthy answer", async () => {
    const bad = await upstream({ kind: "status", status: 503 });
    const good = await upstream({ kind: "ok", name: "good" });
    await applyAndSettle(
      fixture.mesh,
      service("r-failover", [bad.url, good.url]) +
        virtualService(
          "r-failover",
          `    - retries: {attempts: 2, retryOn: 5xx}
      route: [{destination: {host: r-failover}}]`,
        ),
    );
    for (let i = 0; i < 4; i++) {
      const res = await fixture.mesh.fetch("r-failover.localhost", `/item/${i}`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ name: "good" });
    }
    // Every request reached the good endpoint exactly once; a retry never went back to the bad one.
    expect(good.hits).toHaveLength(4);
    expect(bad.hits.length).toBeGreaterThanOrEqual(1);
    expect(bad.hits.length).toBeLessThanOrEqual(4);
  });

  it("gives up after attempts + 1 tries and passes the last 503 through", async () => {
    const bad = await upstream({ kind: "status", status: 503 });
    await applyAndSettle(
      fixture.mesh,
      service("r-exhaust", [bad.url]) +
        virtualService(
          "r-exhaust",
          `    - retries: {attempts: 2, retryOn: 5xx}
      route: [{destination: {host: r-exhaust}}]`,
        ),
    );
    const res = await fixture.mesh.fetch("r-exhaust.localhost", "/");
    expect(res.status).toBe(503);
    expect(res.body).toBe("upstream says 503");
    expect(res.headers["x-mesh-error"]).toBeUndefined();
    expect(bad.hits).toHaveLength(3);
  });

  it("retries a connection closed before any answer for GET, but never replays a POST", async () => {
    const closer = await upstream({ kind: "accept-then-close" });
    await applyAndSettle(
      fixture.mesh,
      service("r-closer", [closer.url]) +
        virtualService(
          "r-closer",
          `    - retries: {attempts: 2, retryOn: "connect-failure,reset"}
      route: [{destination: {host: r-closer}}]`,
        ),
    );
    const get = await fixture.mesh.fetch("r-closer.localhost", "/");
    expect(get.status).toBe(502);
    expect(get.headers["x-mesh-error"]).toBe("upstream_unavailable");
    expect(JSON.parse(get.body).error.code).toBe("upstream_unavailable");
    expect(closer.hits).toHaveLength(3);
    const post = await fixture.mesh.fetch("r-closer.localhost", "/orders", { method: "POST", body: "{}" });
    expect(post.status).toBe(502);
    expect(post.headers["x-mesh-error"]).toBe("upstream_unavailable");
    expect(closer.hits).toHaveLength(4);
  });

  it("does not retry a response that broke mid-body (the upstream already answered)", async () => {
    const resetter = await upstream({ kind: "reset-mid-response" });
    await applyAndSettle(
      fixture.mesh,
      service("r-reset", [resetter.url]) +
        virtualService(
          "r-reset",
          `    - retries: {attempts: 2, retryOn: "5xx,reset"}
      route: [{destination: {host: r-reset}}]`,
        ),
    );
    const outcome = await fixture.mesh.fetch("r-reset.localhost", "/").then(
      (res) => ({ complete: res.status === 200 && res.body.length === 1000 }),
      () => ({ complete: false }),
    );
    expect(outcome.complete).toBe(false);
    expect(resetter.hits).toHaveLength(1);
  });

  it("replays a buffered body on retry, and streams a body over 64 KiB once", async () => {
    const flaky = await upstream({ kind: "status", status: 503 });
    await applyAndSettle(
      fixture.mesh,
      service("r-body", [flaky.url]) +
        virtualService(
          "r-body",
          `    - retries: {attempts: 1, retryOn: 5xx}
      route: [{destination: {host: r-body}}]`,
        ),
    );
    const small = "x".repeat(10 * 1024);
    const res = await fixture.mesh.fetch("r-body.localhost", "/doc", { method: "PUT", body: small });
    expect(res.status).toBe(503);
    expect(flaky.hits.map((h) => h.body.length)).toEqual([small.length, small.length]);
    const large = "y".repeat(100 * 1024);
    await fixture.mesh.fetch("r-body.localhost", "/doc", { method: "PUT", body: large });
    expect(flaky.hits.slice(2).map((h) => h.body.length)).toEqual([large.length]);
  });

  it("stops retrying when the retry budget is spent", async () => {
    const bad = await upstream({ kind: "status", status: 503 });
    await applyAndSettle(
      fixture.mesh,
      service("r-budget", [bad.url]) +
        `---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: r-budget
spec:
  targetRef: {kind: Service, name: r-budget}
  retry: {attempts: 2, retryOn: 5xx}
  retryBudget: {percent: 0, minRetriesPerSecond: 1}
`,
    );
    for (let i = 0; i < 20; i++) expect((await fixture.mesh.fetch("r-budget.localhost", "/")).status).toBe(503);
    // 20 requests + 10 retries (1/s over the 10 s window), not 20 × 3.
    expect(bad.hits).toHaveLength(30);
  });
});

describe("timeouts", () => {
  it("a per-try timeout aborts the hanging endpoint and the retry goes to the other one", async () => {
    const hang = await upstream({ kind: "hang" });
    const good = await upstream({ kind: "ok", name: "good" });
    await applyAndSettle(
      fixture.mesh,
      service("t-pertry", [hang.url, good.url]) +
        virtualService(
          "t-pertry",
          `    - retries: {attempts: 2, perTryTimeout: 200ms, retryOn: 5xx}
      route: [{destination: {host: t-pertry}}]`,
        ),
    );
    for (let i = 0; i < 3; i++) {
      const { value: res, ms } = await timed(() => fixture.mesh.fetch("t-pertry.localhost", "/"));
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(2_000);
    }
    expect(good.hits).toHaveLength(3);
    expect(hang.hits.length).toBeGreaterThanOrEqual(1);
    // Aborted, not abandoned: the proxy closed the subrequest's connection.
    await new Promise((r) => setTimeout(r, 200));
    expect(hang.aborted).toBe(hang.hits.length);
  });

  it("the request timeout answers 504 upstream_timeout and aborts the subrequest", async () => {
    const hang = await upstream({ kind: "hang" });
    await applyAndSettle(
      fixture.mesh,
      service("t-request", [hang.url]) +
        virtualService(
          "t-request",
          `    - timeout: 300ms
      route: [{destination: {host: t-request}}]`,
        ),
    );
    const { value: res, ms } = await timed(() => fixture.mesh.fetch("t-request.localhost", "/"));
    expect(res.status).toBe(504);
    expect(res.headers["x-mesh-error"]).toBe("upstream_timeout");
    expect(JSON.parse(res.body).error.code).toBe("upstream_timeout");
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(2_000);
    expect(hang.hits).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(hang.aborted).toBe(1);
  });

  it("a slow answer within the timeout is served; TrafficPolicy timeouts apply without a route timeout", async () => {
    const slow = await upstream({ kind: "ok", name: "slow", delayMs: 300 });
    await applyAndSettle(
      fixture.mesh,
      service("t-slow", [slow.url]) +
        `---
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: t-slow
spec:
  targetRef: {kind: Service, name: t-slow}
  timeouts: {request: 1s}
`,
    );
    expect((await fixture.mesh.fetch("t-slow.localhost", "/")).status).toBe(200);
    slow.behave({ kind: "ok", name: "slow", delayMs: 1500 });
    const res = await fixture.mesh.fetch("t-slow.localhost", "/");
    expect(res.status).toBe(504);
    expect(res.headers["x-mesh-error"]).toBe("upstream_timeout");
  });

  it("MeshConfig's default timeout applies where nothing else sets one, and a change to it reaches Services already served", async () => {
    const slow = await upstream({ kind: "ok", name: "slow", delayMs: 600 });
    const meshConfig = (timeout: string) => `---
apiVersion: flaremesh.dev/v1alpha1
kind: MeshConfig
metadata:
  name: default
spec:
  defaultTimeout: ${timeout}
`;
    try {
      await applyAndSettle(fixture.mesh, service("t-mesh", [slow.url]) + meshConfig("300ms"));
      const { value: cut, ms } = await timed(() => fixture.mesh.fetch("t-mesh.localhost", "/"));
      expect(cut.status).toBe(504);
      expect(cut.headers["x-mesh-error"]).toBe("upstream_timeout");
      expect(ms).toBeLessThan(600);
      // Only the MeshConfig changes: the Service's model is kept (control plane and proxy), its routes' timeouts
      // are resolved again.
      await applyAndSettle(fixture.mesh, meshConfig("3s"));
      expect((await fixture.mesh.fetch("t-mesh.localhost", "/")).status).toBe(200);
      await applyAndSettle(fixture.mesh, meshConfig("250ms"));
      expect((await fixture.mesh.fetch("t-mesh.localhost", "/")).status).toBe(504);
    } finally {
      const res = await fixture.mesh.api("DELETE", "/v1/resources/MeshConfig/default/default");
      expect(res.status, res.body).toBe(200);
    }
  });
});
