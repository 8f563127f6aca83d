// Istio's Bookinfo traffic-management tasks, followed on the demo with Istio's own YAML (infra/demo/tasks):
// request routing, traffic shifting (VirtualService and Gateway API), and mirroring httpbin v1 → v2.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { send } from "./client";
import { applyAndWait, remove, servedEverywhere } from "./mesh-admin";

let mesh: TestMesh;

beforeAll(async () => {
  mesh = await startMesh({ demo: true });
});

afterAll(async () => {
  await mesh?.stop();
});

const task = (file: string) => readFileSync(join(ROOT, "infra/demo/tasks", file), "utf8");
const applyTask = (yaml: string) => applyAndWait(mesh, yaml, "productpage.localhost");

/** The reviews version productpage embedded in its answer (`/api/v1/products/0`). */
async function reviewsVersion(headers: Record<string, string> = {}): Promise<string> {
  const res = await send(mesh.port, "productpage.localhost", "/api/v1/products/0", { headers });
  expect(res.status, res.text).toBe(200);
  return (JSON.parse(res.text) as { reviews: { version: string } }).reviews.version;
}

async function versions(n: number, headers: Record<string, string> = {}, batch = 20): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let done = 0; done < n; done += batch) {
    const got = await Promise.all(Array.from({ length: Math.min(batch, n - done) }, () => reviewsVersion(headers)));
    for (const v of got) counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

describe("Request routing", () => {
  it("virtual-service-all-v1: every request sees reviews v1", async () => {
    await applyTask(task("virtual-service-all-v1.yaml"));
    expect(await versions(30)).toEqual({ v1: 30 });
    expect(await versions(10, { "end-user": "jason" })).toEqual({ v1: 10 });
  });

  it("virtual-service-reviews-test-v2: end-user jason sees v2, everyone else v1", async () => {
    await applyTask(task("virtual-service-reviews-test-v2.yaml"));
    expect(await versions(20, { "end-user": "jason" })).toEqual({ v2: 20 });
    expect(await versions(20)).toEqual({ v1: 20 });
    expect(await versions(10, { "end-user": "mallory" })).toEqual({ v1: 10 });
  });
});

describe("Traffic shifting", () => {
  it("virtual-service-reviews-50-v3: 400 requests split v1/v3 within ±10 points, none to v2", async () => {
    await applyTask(task("virtual-service-all-v1.yaml"));
    await applyTask(task("virtual-service-reviews-50-v3.yaml"));
    // 400 draws: ±10 points is 4 standard deviations (a chance failure about once in 15,000 runs).
    const counts = await versions(400);
    expect(Object.keys(counts).sort()).toEqual(["v1", "v3"]);
    expect(Math.abs(counts.v3! / 400 - 0.5)).toBeLessThanOrEqual(0.1);
  });

  it("virtual-service-reviews-v3: then 100% v3", async () => {
    await applyTask(task("virtual-service-reviews-v3.yaml"));
    expect(await versions(30)).toEqual({ v3: 30 });
  });

  it("Gateway API httproute-reviews-90-10: 1,000 requests land 90/10 within ±3 points", async () => {
    const revision = await remove(mesh, "VirtualService", "default", "reviews");
    await servedEverywhere(mesh, revision, "reviews.localhost");
    await applyAndWait(mesh, task("httproute-reviews-90-10.yaml"), "reviews.localhost");
    const counts: Record<string, number> = {};
    for (let batch = 0; batch < 40; batch++) {
      const got = await Promise.all(
        Array.from({ length: 25 }, () => send(mesh.port, "reviews.localhost", "/reviews/0")),
      );
      for (const r of got) {
        const v = (JSON.parse(r.text) as { version: string }).version;
        counts[v] = (counts[v] ?? 0) + 1;
      }
    }
    expect(Object.keys(counts).sort()).toEqual(["v1", "v2"]);
    expect(Math.abs(counts.v2! / 1000 - 0.1)).toBeLessThanOrEqual(0.03);
    await servedEverywhere(mesh, await remove(mesh, "HTTPRoute", "default", "reviews"), "reviews.localhost");
  });
});

describe("Mirroring", () => {
  // Istio's task YAML (samples/httpbin, tasks/traffic-management/mirroring): first all to v1, then mirror to v2.
  const allToV1 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
    - httpbin
  http:
  - route:
    - destination:
        host: httpbin
        subset: v1
      weight: 100
`;
  const mirrored = `${allToV1}    mirror:
      host: httpbin
      subset: v2
    mirrorPercentage:
      value: 100.0
`;

  interface Seen {
    method: string;
    url: string;
    host: string | null;
    headers: Record<string, string>;
  }
  const seenBy = async (worker: "httpbin-v1" | "httpbin-v2"): Promise<Seen[]> => {
    const res = await send(mesh.port, `${worker}.localhost`, "/requests");
    return (JSON.parse(res.text) as { requests: Seen[] }).requests;
  };
  const withMarker = (list: Seen[], marker: string) => list.filter((r) => r.headers["x-probe"] === marker);
  async function eventuallySeen(worker: "httpbin-v2", marker: string): Promise<Seen[]> {
    for (let i = 0; i < 40; i++) {
      const hits = withMarker(await seenBy(worker), marker);
      if (hits.length > 0) return hits;
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  }

  it("without a mirror, v2 sees nothing", async () => {
    await applyAndWait(mesh, allToV1, "httpbin.localhost");
    const marker = crypto.randomUUID();
    const res = await send(mesh.port, "httpbin.localhost", "/headers", { headers: { "x-probe": marker } });
    expect((JSON.parse(res.text) as { version: string }).version).toBe("v1");
    await new Promise((r) => setTimeout(r, 300));
    expect(withMarker(await seenBy("httpbin-v2"), marker)).toEqual([]);
  });

  it("with the mirror, v2 sees a shadow copy while the client gets v1's answer only", async () => {
    await applyAndWait(mesh, mirrored, "httpbin.localhost");
    const marker = crypto.randomUUID();
    const res = await send(mesh.port, "httpbin.localhost", "/headers", { headers: { "x-probe": marker } });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { version: string }).version).toBe("v1");
    const shadow = await eventuallySeen("httpbin-v2", marker);
    expect(shadow).toHaveLength(1);
    expect(shadow[0]!.url).toMatch(/^http:\/\/httpbin\.localhost-shadow(:\d+)?\/headers$/);
    expect(withMarker(await seenBy("httpbin-v1"), marker)).toHaveLength(1);
  });

  it("mirrors a small request body, skips one over 64 KiB; the client's request is unaffected either way", async () => {
    const small = crypto.randomUUID();
    const body = "b".repeat(1024);
    const res = await send(mesh.port, "httpbin.localhost", "/anything", {
      method: "POST",
      body,
      headers: { "x-probe": small, "content-type": "text/plain" },
    });
    expect((JSON.parse(res.text) as { data: string; version: string }).data).toBe(body);
    const [copy] = await eventuallySeen("httpbin-v2", small);
    expect(copy?.method).toBe("POST");
    expect(copy?.headers["content-length"]).toBe("1024");

    const large = crypto.randomUUID();
    const big = "B".repeat(100 * 1024);
    const bigRes = await send(mesh.port, "httpbin.localhost", "/anything", {
      method: "POST",
      body: big,
      headers: { "x-probe": large, "content-type": "text/plain" },
    });
    expect((JSON.parse(bigRes.text) as { data: string }).data.length).toBe(big.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(withMarker(await seenBy("httpbin-v2"), large)).toEqual([]);
    await servedEverywhere(mesh, await remove(mesh, "VirtualService", "default", "httpbin"), "httpbin.localhost");
  });
});
