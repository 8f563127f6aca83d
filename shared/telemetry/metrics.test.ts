import { describe, expect, it } from "vitest";
import { DURATION_BUCKETS_MS, REQUEST_LABELS, bucketIndex } from "./catalog";
import { ackDelta, createRegistry, inc, record, setGauge, takeDelta } from "./metrics";

const labels = {
  source_workload: "productpage-v1",
  destination_service_name: "reviews",
  destination_service_namespace: "default",
  destination_version: "v2",
  response_code: "200",
  response_flags: "-",
  request_protocol: "http",
};

describe("bucketIndex (Prometheus `le` semantics over Istio's buckets)", () => {
  it.each([
    [0, 0],
    [0.5, 0],
    [0.51, 1],
    [1, 1],
    [4.9, 2],
    [100, 6],
    [100.1, 7],
    [3_600_000, DURATION_BUCKETS_MS.length - 1],
    [3_600_001, DURATION_BUCKETS_MS.length],
  ])("%s ms → bucket %i", (ms, index) => {
    expect(bucketIndex(ms)).toBe(index);
  });

  it("uses Istio's default buckets", () => {
    expect(DURATION_BUCKETS_MS).toEqual([
      0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
    ]);
  });
});

describe("record", () => {
  it("counts the request and its duration in one series each", () => {
    const r = createRegistry("iso-1");
    record(r, labels, 12);
    record(r, labels, 0.2);
    const delta = takeDelta(r, 1_000)!;
    expect(delta.counters).toEqual([{ name: "mesh_requests_total", labels: expect.any(Array), value: 2 }]);
    const [h] = delta.histograms;
    expect(h!.count).toBe(2);
    expect(h!.sum).toBeCloseTo(12.2);
    expect(h!.buckets[0]).toBe(1);
    expect(h!.buckets[bucketIndex(12)]).toBe(1);
    expect(h!.buckets.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("fills missing labels with `unknown` (reporter: destination), keeps Istio's label order, cuts long values", () => {
    const r = createRegistry("iso-1");
    record(r, { ...labels, destination_workload: "x".repeat(300) }, 1);
    const values = takeDelta(r, 0)!.counters[0]!.labels;
    expect(values).toHaveLength(REQUEST_LABELS.length);
    const byName = Object.fromEntries(REQUEST_LABELS.map((n, i) => [n, values[i]]));
    expect(byName.reporter).toBe("destination");
    expect(byName.source_principal).toBe("unknown");
    expect(byName.connection_security_policy).toBe("unknown");
    expect(byName.destination_version).toBe("v2");
    expect(byName.destination_workload).toHaveLength(256);
  });

  it.each([
    ["negative", -5],
    ["NaN", Number.NaN],
    ["infinite", Number.POSITIVE_INFINITY],
  ])("counts a %s duration as 0 ms", (_name, ms) => {
    const r = createRegistry("iso-1");
    record(r, labels, ms);
    const h = takeDelta(r, 0)!.histograms[0]!;
    expect(h.sum).toBe(0);
    expect(h.buckets[0]).toBe(1);
  });
});

describe("cardinality cap", () => {
  it("folds new label sets into the __overflow__ series and counts the folds", () => {
    const r = createRegistry("iso-1", { maxSeries: 2 });
    for (let code = 200; code < 206; code++) record(r, { ...labels, response_code: String(code) }, 1);
    record(r, { ...labels, response_code: "200" }, 1); // an existing series still counts normally
    record(r, { ...labels, response_code: "205" }, 1); // a folded label set seen again: folded and counted again
    const delta = takeDelta(r, 0)!;
    const requests = delta.counters.filter((c) => c.name === "mesh_requests_total");
    const overflow = requests.find((c) => c.labels.every((v) => v === "__overflow__"));
    const ok200 = requests.find((c) => c.labels.includes("200"));
    expect(ok200?.value).toBe(2);
    expect(requests).toHaveLength(3); // 200, 201 and the overflow series
    expect(overflow?.value).toBe(5);
    expect(delta.histograms.find((h) => h.labels[0] === "__overflow__")?.count).toBe(5);
    expect(delta.counters.find((c) => c.name === "mesh_metric_series_overflow_total")).toEqual({
      name: "mesh_metric_series_overflow_total",
      labels: ["mesh_requests_total"],
      value: 5,
    });
  });

  it("starts every window with the cap's full room, and a series seen in an earlier window counts afresh", () => {
    const r = createRegistry("iso-1", { maxSeries: 1 });
    record(r, { ...labels, response_code: "200" }, 1);
    record(r, { ...labels, response_code: "500" }, 1); // folded in this window
    const first = takeDelta(r, 0)!;
    ackDelta(r, first.seq);
    record(r, { ...labels, response_code: "500" }, 2); // a new window: admitted
    record(r, { ...labels, response_code: "500" }, 3);
    const second = takeDelta(r, 0)!;
    const requests = second.counters.filter((c) => c.name === "mesh_requests_total");
    expect(requests).toEqual([{ name: "mesh_requests_total", labels: expect.arrayContaining(["500"]), value: 2 }]);
    expect(second.histograms[0]).toMatchObject({ count: 2, sum: 5 });
    expect(second.counters.find((c) => c.name === "mesh_metric_series_overflow_total")).toBeUndefined();
  });

  it("applies the cap per metric, to counters and gauges too", () => {
    const r = createRegistry("iso-1", { maxSeries: 1 });
    inc(r, "mesh_retries_total", { destination_service_name: "a" });
    inc(r, "mesh_retries_total", { destination_service_name: "b" });
    setGauge(r, "mesh_proxy_config_revision", { proxy: "p1" }, 3);
    setGauge(r, "mesh_proxy_config_revision", { proxy: "p2" }, 4);
    const d = takeDelta(r, 0)!;
    expect(d.counters.filter((c) => c.name === "mesh_retries_total").map((c) => c.labels)).toEqual([
      ["a", "unknown"],
      ["__overflow__", "__overflow__"],
    ]);
    expect(d.gauges).toEqual([
      { name: "mesh_proxy_config_revision", labels: ["p1"], value: 3 },
      { name: "mesh_proxy_config_revision", labels: ["__overflow__"], value: 4 },
    ]);
  });
});

describe("inc and setGauge", () => {
  it.each([
    ["a negative increment", -1, 0],
    ["NaN", Number.NaN, 0],
    ["zero", 0, 0],
    ["a positive increment", 3, 3],
  ])("ignores %s (counters only grow)", (_name, by, expected) => {
    const r = createRegistry("iso-1");
    inc(r, "mesh_telemetry_dropped_total", { sink: "TelemetrySink/default/loki", kind: "log" }, by);
    const d = takeDelta(r, 0);
    expect(d?.counters[0]?.value ?? 0).toBe(expected);
  });

  it("keeps the last gauge value of the window", () => {
    const r = createRegistry("iso-1");
    setGauge(r, "mesh_proxy_config_revision", { proxy: "p1" }, 3);
    setGauge(r, "mesh_proxy_config_revision", { proxy: "p1" }, 4);
    expect(takeDelta(r, 0)!.gauges).toEqual([{ name: "mesh_proxy_config_revision", labels: ["p1"], value: 4 }]);
  });
});

describe("takeDelta / ackDelta", () => {
  it("returns null when there is nothing to flush", () => {
    expect(takeDelta(createRegistry("iso-1"), 0)).toBeNull();
  });

  it("re-sends the same delta until acknowledged, while new samples accumulate", () => {
    const r = createRegistry("iso-1");
    record(r, labels, 1);
    const first = takeDelta(r, 1_000)!;
    expect(first).toMatchObject({ format: 1, source: "iso-1", seq: 1, timeMs: 1_000 });
    record(r, labels, 1);
    expect(takeDelta(r, 2_000)).toBe(first); // retry: same seq, same content
    ackDelta(r, 99); // an unrelated ack changes nothing
    expect(takeDelta(r, 2_000)).toBe(first);
    ackDelta(r, 1);
    const second = takeDelta(r, 3_000)!;
    expect(second.seq).toBe(2);
    expect(second.counters[0]!.value).toBe(1);
    ackDelta(r, 2);
    expect(takeDelta(r, 4_000)).toBeNull();
  });

  it("produces JSON-serializable deltas", () => {
    const r = createRegistry("iso-1");
    record(r, labels, 7);
    const d = takeDelta(r, 5)!;
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
