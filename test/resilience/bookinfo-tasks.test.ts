// Istio's Bookinfo traffic-management tasks (fault injection, request timeouts, circuit breaking) against the
// demo, with Istio's own YAML (infra/demo/tasks) where it exists, as a user following the tasks would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { applyAndSettle, timed } from "./mesh-control";

let mesh: TestMesh;
const task = (file: string) => readFileSync(join(ROOT, "infra/demo/tasks", file), "utf8");

interface ProductAnswer {
  reviews: {
    status?: number;
    error?: { code?: string };
    ratings?: { status?: number; error?: { code?: string } };
    reviews?: { rating?: { error?: string; stars?: number } }[];
  };
}

async function product(user?: string): Promise<{ status: number; body: ProductAnswer; ms: number }> {
  const { value, ms } = await timed(() =>
    mesh.fetch("productpage.localhost", "/api/v1/products/0", user ? { headers: { "end-user": user } } : {}),
  );
  return { status: value.status, body: JSON.parse(value.body) as ProductAnswer, ms };
}

beforeAll(async () => {
  mesh = await startMesh({ demo: true });
  await applyAndSettle(mesh, task("virtual-service-all-v1.yaml"));
  await applyAndSettle(mesh, task("virtual-service-reviews-test-v2.yaml"));
});

afterAll(async () => {
  await mesh?.stop();
});

describe("Istio task: fault injection", () => {
  it("abort: jason's ratings calls fail with HTTP 500 fault_injected; reviews shows ratings unavailable", async () => {
    await applyAndSettle(mesh, task("virtual-service-ratings-test-abort.yaml"));
    const jason = await product("jason");
    expect(jason.status).toBe(200);
    expect(jason.body.reviews.ratings).toMatchObject({ status: 500, error: { code: "fault_injected" } });
    expect(jason.body.reviews.reviews?.[0]?.rating).toEqual({ error: "Ratings service is currently unavailable" });
    // Everyone else is on reviews v1, which never calls ratings.
    const other = await product();
    expect(other.body.reviews.ratings).toBeUndefined();
  });

  it("delay: 7 s on jason's ratings outlasts productpage's 2 × 3 s reviews calls; the page shows the reviews error", async () => {
    await applyAndSettle(mesh, task("virtual-service-ratings-test-delay.yaml"));
    const jason = await product("jason");
    expect(jason.status).toBe(200);
    expect(jason.body.reviews).toMatchObject({ status: 504, error: { code: "timeout" } });
    expect(jason.ms).toBeGreaterThanOrEqual(5_500);
    expect(jason.ms).toBeLessThan(9_000);
  }, 20_000);
});

describe("Istio task: request timeouts", () => {
  it("reviews timeout 0.5 s with a 2 s ratings delay: productpage gets 504 upstream_timeout within about a second", async () => {
    await applyAndSettle(
      mesh,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
    - fault:
        delay: {percentage: {value: 100}, fixedDelay: 2s}
      route: [{destination: {host: ratings, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - route: [{destination: {host: reviews, subset: v2}}]
      timeout: 0.5s
`,
    );
    const res = await product();
    expect(res.status).toBe(200);
    expect(res.body.reviews).toMatchObject({ status: 504, error: { code: "upstream_timeout" } });
    // Two tries by productpage, each cut at 0.5 s by the reviews route timeout.
    expect(res.ms).toBeGreaterThanOrEqual(900);
    expect(res.ms).toBeLessThan(2_500);
  });
});

describe("Istio task: circuit breaking", () => {
  it("httpbin with maxConnections 1 / http1MaxPendingRequests 1: concurrent requests beyond that get 503 circuit_open", async () => {
    // Istio's samples/httpbin destination rule for the task.
    await applyAndSettle(
      mesh,
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
`,
    );
    const answers = await Promise.all(Array.from({ length: 4 }, () => mesh.fetch("httpbin.localhost", "/delay/1")));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503]);
    for (const a of answers.filter((x) => x.status === 503)) expect(a.headers["x-mesh-error"]).toBe("circuit_open");
  });
});
