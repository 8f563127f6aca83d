import { describe, expect, it } from "vitest";
import { createAggregate, mergeDelta } from "./aggregate";
import type { RequestLabels } from "./catalog";
import { createRegistry, record, takeDelta } from "./metrics";
import type { MetricsDelta } from "./metrics-delta";
import { histogramQuantile, topologyFromAggregates, topologyFromDeltas } from "./topology";

describe("histogramQuantile (PromQL semantics)", () => {
  const bounds = [10, 20, 50];
  it.each<[string, number, number[], number | null]>([
    ["no data", 0.5, [0, 0, 0, 0], null],
    ["median inside the first bucket, from 0", 0.5, [10, 0, 0, 0], 5],
    ["median at a bucket edge", 0.5, [5, 5, 0, 0], 10],
    ["p99 interpolated in the third bucket", 0.99, [50, 30, 20, 0], 48.5],
    ["p50 in the second bucket", 0.5, [20, 60, 20, 0], 15],
    ["a rank in +Inf returns the highest bound", 0.99, [1, 0, 0, 9], 50],
    ["q = 1 is the top of the last non-empty bucket", 1, [1, 1, 0, 0], 20],
    ["q = 0 is the bottom of the first non-empty bucket", 0, [0, 4, 0, 0], 10],
  ])("%s", (_name, q, buckets, expected) => {
    const got = histogramQuantile(q, bounds, buckets);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 9);
  });
});

const fromProductpage: RequestLabels = {
  source_principal: "cluster.local/ns/default/sa/productpage",
  source_workload: "productpage-v1",
  source_workload_namespace: "default",
  destination_service_name: "reviews",
  destination_service_namespace: "default",
  response_code: "200",
};

function delta(source: string, timeMs: number, requests: [RequestLabels, number][]): MetricsDelta {
  const r = createRegistry(source);
  for (const [labels, ms] of requests) record(r, labels, ms);
  return takeDelta(r, timeMs)!;
}

describe("topology", () => {
  const deltas = [
    delta("iso-1", 1_000, [
      [fromProductpage, 3],
      [fromProductpage, 7],
      [{ ...fromProductpage, response_code: "503" }, 40],
      [{ destination_service_name: "productpage", destination_service_namespace: "default" }, 60],
    ]),
    delta("iso-2", 9_000, [
      [{ ...fromProductpage, destination_service_name: "details" }, 2],
      [
        {
          source_workload: "curl",
          source_workload_namespace: "tools",
          destination_service_name: "ratings",
          response_code: "0",
        },
        1,
      ],
    ]),
  ];

  it("builds nodes and edges with counts, errors and percentiles over a window", () => {
    const topo = topologyFromDeltas(deltas, { nowMs: 10_000, windowMs: 10_000 });
    expect(topo.nodes).toEqual([
      { id: "default/details", kind: "service" },
      { id: "default/productpage", kind: "service" },
      { id: "default/ratings", kind: "service" },
      { id: "default/reviews", kind: "service" },
      { id: "tools/curl", kind: "workload" },
      { id: "unknown", kind: "unknown" },
    ]);
    const reviews = topo.edges.find((e) => e.destination === "default/reviews")!;
    expect(reviews).toMatchObject({
      source: "default/productpage",
      requests: 3,
      errors: 1,
      requestsPerSecond: 0.3,
      errorRate: 0.3333,
    });
    // Buckets: 3 → (1,5], 7 → (5,10], 40 → (25,50]. p50 = rank 1.5 → half-way through (5,10] = 7.5.
    expect(reviews.p50Ms).toBe(7.5);
    expect(reviews.p99Ms).toBeCloseTo(49.25, 3);
    expect(topo.edges.find((e) => e.source === "unknown")).toMatchObject({
      destination: "default/productpage",
      requests: 1,
    });
    expect(topo.edges.find((e) => e.source === "tools/curl")).toMatchObject({ errors: 1, errorRate: 1 });
    expect(topo.windowMs).toBe(10_000);
  });

  it("keeps only deltas inside the window", () => {
    const topo = topologyFromDeltas(deltas, { nowMs: 10_000, windowMs: 5_000 });
    expect(topo.edges.map((e) => e.destination)).toEqual(["default/details", "default/ratings"]);
  });

  it("builds the all-time graph from aggregates", () => {
    const agg = createAggregate();
    for (const d of deltas) mergeDelta(agg, d, 0);
    const topo = topologyFromAggregates([agg]);
    expect(topo.edges).toHaveLength(4);
    expect(topo.edges.every((e) => e.requestsPerSecond === undefined)).toBe(true);
    expect(topo.windowMs).toBeUndefined();
  });

  it("is empty without traffic", () => {
    expect(topologyFromDeltas([], { nowMs: 0, windowMs: 1 })).toEqual({ nodes: [], edges: [], windowMs: 1 });
  });
});
