// Mesh errors from the real proxy: each failure answers its status, code, JSON body and x-mesh-error header.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startUpstream, type Upstream } from "../helpers/processes";
import { defaultRoute, json, snapshot, startProxy, type HttpResult, type ProxyHarness } from "./harness";

let proxy: ProxyHarness;
let pinned: ProxyHarness;
let up: Upstream;
let refusedUrl: string;

beforeAll(async () => {
  up = await startUpstream("up");
  refusedUrl = `http://127.0.0.1:${await freePort()}`;
  const snap = snapshot(1, {
    "default/ok": {
      endpoints: [{ id: "e", url: up.url }],
      routes: [
        { id: "only-x", matches: [{ path: { type: "Exact", value: "/x" } }], backends: [{ service: "default/ok" }] },
      ],
    },
    "default/refused": { endpoints: [{ id: "gone", url: refusedUrl }], routes: [defaultRoute("default/refused")] },
    "default/empty": { routes: [defaultRoute("default/empty")] },
    "default/no-subset": {
      endpoints: [{ id: "e", url: up.url }],
      routes: [defaultRoute("default/no-subset", { backends: [{ service: "default/no-subset", subset: "v9" }] })],
    },
    "default/zero": {
      endpoints: [{ id: "e", url: up.url }],
      routes: [defaultRoute("default/zero", { backends: [{ service: "default/zero", weight: 0 }] })],
    },
    "default/dangling": { routes: [defaultRoute("default/dangling", { backends: [{ service: "default/missing" }] })] },
    "default/unbound": { endpoints: [{ id: "w", worker: "not-deployed" }], routes: [defaultRoute("default/unbound")] },
    "default/pinned": { endpoints: [{ id: "e", url: up.url }], routes: [defaultRoute("default/pinned")] },
  });
  [proxy, pinned] = await Promise.all([
    startProxy({ snapshot: snap }),
    startProxy({ snapshot: snap, bindings: { MESH_SERVICE: "default/pinned" } }),
  ]);
});

afterAll(async () => {
  await Promise.all([proxy?.stop(), pinned?.stop()]);
  await up?.close();
});

function expectMeshError(res: HttpResult, status: number, code: string): string {
  expect(res.status, res.body).toBe(status);
  expect(res.headers["x-mesh-error"]).toBe(code);
  expect(res.headers["content-type"]).toBe("application/json");
  expect(res.headers["x-request-id"]).toBeTruthy();
  const body = json(res);
  expect(body).toEqual({ error: { code, message: expect.any(String), details: [] } });
  return body.error.message;
}

describe("proxy errors", () => {
  it("unknown service → 404 service_not_found", async () => {
    expectMeshError(await proxy.send("nope.localhost", "/"), 404, "service_not_found");
  });

  it("a host outside the mesh suffixes → 404 service_not_found", async () => {
    expectMeshError(await proxy.send("example.com", "/"), 404, "service_not_found");
  });

  it("no matching route → 404 no_route", async () => {
    expectMeshError(await proxy.send("ok.localhost", "/y"), 404, "no_route");
    expect((await proxy.send("ok.localhost", "/x")).status).toBe(200);
  });

  it("refused connection → 502 upstream_unavailable, without leaking the endpoint address", async () => {
    const message = expectMeshError(await proxy.send("refused.localhost", "/"), 502, "upstream_unavailable");
    expect(message).not.toContain("127.0.0.1");
    expect(message).toContain("gone");
  });

  it("a service without endpoints → 503 no_healthy_upstream", async () => {
    expectMeshError(await proxy.send("empty.localhost", "/"), 503, "no_healthy_upstream");
  });

  it("an undefined subset → 503 no_healthy_upstream naming the subset", async () => {
    expect(expectMeshError(await proxy.send("no-subset.localhost", "/"), 503, "no_healthy_upstream")).toContain("v9");
  });

  it("all backend weights 0 → 500 (Gateway API), code misconfigured", async () => {
    expectMeshError(await proxy.send("zero.localhost", "/"), 500, "misconfigured");
  });

  it("a backend that names an unknown service → 500 misconfigured", async () => {
    expectMeshError(await proxy.send("dangling.localhost", "/"), 500, "misconfigured");
  });

  it("a Worker endpoint without a service binding → 502 upstream_unavailable naming the binding", async () => {
    const message = expectMeshError(await proxy.send("unbound.localhost", "/"), 502, "upstream_unavailable");
    expect(message).toContain("WORKER_NOT_DEPLOYED");
  });

  it("egress to an unknown service → 404 service_not_found", async () => {
    expectMeshError(await proxy.egress("http://nope/x"), 404, "service_not_found");
  });
});

describe("MESH_SERVICE", () => {
  it("pins a per-service proxy to its service whatever the Host", async () => {
    const res = await pinned.send("anything.example.com", "/p");
    expect(json(res)).toEqual({ name: "up", path: "/p" });
  });
});
