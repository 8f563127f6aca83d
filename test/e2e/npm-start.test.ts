// End to end, as a user: `npm start`, register a Service backed by real Node servers, route to it by Host,
// shift weight and see it live within a second, keep serving while the control plane is unreachable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../../scripts/lib/local-mesh.mjs";
import {
  alive,
  describeProcess,
  descendants,
  npmStart,
  startUpstream,
  type NpmStart,
  type Upstream,
} from "../helpers/processes";

const TOKEN = "e2e-admin-token";
let mesh: NpmStart;
let a: Upstream;
let b: Upstream;

async function apply(yaml: string) {
  const res = await request(mesh.port, "control.localhost", "/v1/apply", {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/yaml" },
    body: yaml,
  });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as { revision: number; results: { kind: string; name: string; action: string }[] };
}

const services = () => `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: { name: echo-a }
spec: { endpoints: [{ url: "${a.url}" }] }
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: { name: echo-b }
spec: { endpoints: [{ url: "${b.url}" }] }
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: { name: echo }
spec: { endpoints: [{ url: "${a.url}" }] }
`;

const route = (wa: number, wb: number) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: echo-split }
spec:
  parentRefs: [{ group: "", kind: Service, name: echo }]
  rules:
    - backendRefs:
        - { name: echo-a, port: 80, weight: ${wa} }
        - { name: echo-b, port: 80, weight: ${wb} }
`;

async function who(path = "/hello"): Promise<string> {
  const res = await request(mesh.port, "echo.localhost", path);
  expect(res.status, res.body).toBe(200);
  return (JSON.parse(res.body) as { name: string }).name;
}

describe("npm start", () => {
  beforeAll(async () => {
    a = await startUpstream("a");
    b = await startUpstream("b");
    mesh = await npmStart({ MESH_ADMIN_TOKEN: TOKEN, MESH_DEMO: "0" });
  });
  afterAll(async () => {
    await mesh?.stop();
    await a?.close();
    await b?.close();
  });

  it("prints a ready line and serves the control plane on control.localhost, localhost and 127.0.0.1", async () => {
    expect(mesh.output()).toMatch(/ready/);
    for (const host of ["control.localhost", `localhost:${mesh.port}`, "127.0.0.1"]) {
      const res = await request(mesh.port, host, "/healthz");
      expect(res.status, host).toBe(200);
    }
  });

  it("answers unknown hosts with a mesh error", async () => {
    const res = await request(mesh.port, "nowhere.example.com", "/");
    expect(res.status).toBe(404);
    expect(res.headers["x-mesh-error"]).toBeDefined();
    expect(JSON.parse(res.body).error.code).toBe(res.headers["x-mesh-error"]);
  });

  it("routes to a Service registered at run time, at once", async () => {
    const applied = await apply(services());
    expect(applied.results.map((r) => `${r.kind}/${r.name} ${r.action}`)).toEqual([
      "Service/echo-a created",
      "Service/echo-b created",
      "Service/echo created",
    ]);
    // Live within a second of the apply returning.
    const deadline = Date.now() + 1000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await request(mesh.port, "echo.localhost", "/hello")).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
    expect(await who()).toBe("a");
    expect(a.requests.at(-1)?.url).toBe("/hello");
  });

  it("shifts traffic when a weight changes, within one second", async () => {
    await apply(route(100, 0));
    await expectAllWithin("a", 1000);
    await apply(route(0, 100));
    await expectAllWithin("b", 1000);
  });

  it("keeps serving the last good revision while the control plane is unreachable", async () => {
    const cut = await request(mesh.port, "control.localhost", "/v1/dev/faults", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ proxyApi: "unreachable" }),
    });
    expect(cut.status, cut.body).toBe(200);
    try {
      // Changes made now cannot reach the proxy…
      await apply(route(100, 0));
      // …which keeps serving revision it has, well past its refresh interval.
      for (let i = 0; i < 30; i++) {
        expect(await who()).toBe("b");
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      const heal = await request(mesh.port, "control.localhost", "/v1/dev/faults", {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ proxyApi: "ok" }),
      });
      expect(heal.status).toBe(200);
    }
    // And converges once the control plane is back.
    await expectAllWithin("a", 3000);
  });

  it("reports which revision each proxy serves", async () => {
    const res = await request(mesh.port, "control.localhost", "/v1/status", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const status = JSON.parse(res.body) as { revision: number; proxies: { revision: number | null }[] };
    expect(status.proxies.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    const again = JSON.parse(
      (await request(mesh.port, "control.localhost", "/v1/status", { headers: { authorization: `Bearer ${TOKEN}` } }))
        .body,
    ) as typeof status;
    expect(again.proxies.some((p) => p.revision === again.revision)).toBe(true);
  });

  it("stops cleanly on Ctrl-C with no workerd left behind, and restarts with its state", async () => {
    const before = await descendants(mesh.child.pid!);
    expect(before.length).toBeGreaterThan(2); // npm → node → workerd
    await mesh.stop("SIGINT");
    expect(mesh.output()).toMatch(/SIGINT received, stopping/);
    const deadline = Date.now() + 5000;
    while (before.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(before.filter(alive).map(describeProcess)).toEqual([]);

    mesh = await npmStart({ MESH_ADMIN_TOKEN: TOKEN, MESH_DEMO: "0", MESH_STATE_DIR: mesh.stateDir });
    const res = await request(mesh.port, "control.localhost", "/v1/resources/service/default/echo", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(await who()).toBe("a");
  });
});

/** Polls until every one of 10 consecutive answers comes from `name`; returns how long that took. */
async function expectAllWithin(name: string, ms: number): Promise<number> {
  const start = Date.now();
  let streak = 0;
  while (Date.now() - start < ms + 2000) {
    streak = (await who()) === name ? streak + 1 : 0;
    if (streak === 10) {
      const took = Date.now() - start;
      expect(took, `traffic reached ${name} only after ${took} ms`).toBeLessThanOrEqual(ms + 200);
      return took;
    }
  }
  throw new Error(`traffic never settled on ${name}`);
}
