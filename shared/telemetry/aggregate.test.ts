import { describe, expect, it } from "vitest";
import { METRICS } from "./catalog";
import { collectFamilies, createAggregate, mergeDelta, pruneAggregate, setAggregateGauge } from "./aggregate";
import { ackDelta, createRegistry, inc, record, setGauge, takeDelta } from "./metrics";
import { MetricsDeltaSchema, parseMetricsDelta, type MetricsDelta } from "./metrics-delta";
import { encodePrometheus } from "./prometheus";
import { parsePrometheusText } from "./testing/prometheus-text";

const labels = { destination_service_name: "reviews", destination_service_namespace: "default", response_code: "200" };

function deltaOf(source: string, requests: number, nowMs = 1_000): MetricsDelta {
  const r = createRegistry(source);
  for (let i = 0; i < requests; i++) record(r, labels, 3);
  return takeDelta(r, nowMs)!;
}

function requestsTotal(aggs: Parameters<typeof collectFamilies>[0]): number {
  const family = collectFamilies(aggs).find((f) => f.name === "mesh_requests_total")!;
  return family.type === "histogram" ? NaN : family.samples.reduce((a, s) => a + s.value, 0);
}

describe("mergeDelta", () => {
  it("applies a delta once; a retried flush (same source and seq) is a duplicate", () => {
    const agg = createAggregate();
    const d = deltaOf("iso-1", 3);
    expect(mergeDelta(agg, d, 10)).toBe("applied");
    expect(mergeDelta(agg, structuredClone(d), 20)).toBe("duplicate");
    expect(requestsTotal([agg])).toBe(3);
    expect(agg.sources["iso-1"]).toEqual({ seq: 1, lastSeenMs: 20 });
  });

  it("refuses an older seq arriving late, and applies newer ones", () => {
    const agg = createAggregate();
    const r = createRegistry("iso-1");
    record(r, labels, 1);
    const d1 = takeDelta(r, 1)!;
    ackDelta(r, 1);
    record(r, labels, 1);
    record(r, labels, 1);
    const d2 = takeDelta(r, 2)!;
    expect(mergeDelta(agg, d1, 0)).toBe("applied");
    expect(mergeDelta(agg, d2, 0)).toBe("applied");
    expect(mergeDelta(agg, d1, 0)).toBe("duplicate");
    expect(requestsTotal([agg])).toBe(3);
  });

  it("sums sources, and totals never go backwards when an isolate restarts (new source)", () => {
    const agg = createAggregate();
    mergeDelta(agg, deltaOf("iso-1", 5), 0);
    const before = requestsTotal([agg]);
    mergeDelta(agg, deltaOf("iso-2", 1), 0); // the restarted isolate starts again at seq 1
    expect(requestsTotal([agg])).toBe(before + 1);
  });

  it("sums histogram buckets, sums and counts", () => {
    const agg = createAggregate();
    mergeDelta(agg, deltaOf("iso-1", 2), 0);
    mergeDelta(agg, deltaOf("iso-2", 3), 0);
    const [h] = Object.values(agg.histograms);
    expect(h!.count).toBe(5);
    expect(h!.sum).toBe(15);
    expect(h!.buckets.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it("keeps the newest gauge value whatever the arrival order", () => {
    const agg = createAggregate();
    const newer = createRegistry("iso-1");
    setGauge(newer, "mesh_proxy_config_revision", { proxy: "p1" }, 7);
    const older = createRegistry("iso-2");
    setGauge(older, "mesh_proxy_config_revision", { proxy: "p1" }, 6);
    mergeDelta(agg, takeDelta(newer, 2_000)!, 0);
    mergeDelta(agg, takeDelta(older, 1_000)!, 0);
    expect(Object.values(agg.gauges).map((g) => g.value)).toEqual([7]);
  });

  it("folds series beyond the aggregate's cap into __overflow__ and counts them", () => {
    const agg = createAggregate({ maxSeries: 1 });
    const r = createRegistry("iso-1");
    record(r, { ...labels, response_code: "200" }, 1);
    record(r, { ...labels, response_code: "503" }, 1);
    mergeDelta(agg, takeDelta(r, 0)!, 0);
    const codes = Object.values(agg.counters)
      .filter((c) => c.name === "mesh_requests_total")
      .map((c) => [c.labels[8], c.value]);
    expect(codes).toEqual([
      ["200", 1],
      ["__overflow__", 1],
    ]);
    expect(Object.values(agg.histograms).map((h) => [h.labels[8], h.count])).toEqual([
      ["200", 1],
      ["__overflow__", 1],
    ]);
    const folds = Object.values(agg.counters).filter((c) => c.name === "mesh_metric_series_overflow_total");
    expect(folds.map((c) => [c.labels[0], c.value])).toEqual([
      ["mesh_requests_total", 1],
      ["mesh_request_duration_milliseconds", 1],
    ]);
  });
});

describe("pruneAggregate", () => {
  it("forgets stale sources and gauges but never counters", () => {
    const agg = createAggregate();
    mergeDelta(agg, deltaOf("iso-1", 1, 0), 0);
    setAggregateGauge(agg, "mesh_proxy_config_revision", { proxy: "gone" }, 3, 0);
    setAggregateGauge(agg, "mesh_ca_root_expiry_seconds", {}, 86_400, 9_000);
    pruneAggregate(agg, 10_000, 5_000);
    expect(agg.sources).toEqual({});
    expect(Object.values(agg.gauges).map((g) => g.name)).toEqual(["mesh_ca_root_expiry_seconds"]);
    expect(requestsTotal([agg])).toBe(1);
  });
});

describe("parseMetricsDelta", () => {
  const good = deltaOf("iso-1", 1);
  const counter = good.counters[0]!;
  const histogram = good.histograms[0]!;
  it.each<[string, unknown, string]>([
    ["a negative counter", { ...good, counters: [{ ...counter, value: -1 }] }, "counters.0.value"],
    ["a wrong number of label values", { ...good, counters: [{ ...counter, labels: ["x"] }] }, "counters.0.labels"],
    ["an unknown metric", { ...good, counters: [{ ...counter, name: "evil_total" }] }, "counters.0.name"],
    [
      "a gauge among counters",
      { ...good, counters: [{ ...counter, name: "mesh_proxy_config_revision" }] },
      "counters.0.name",
    ],
    ["too few buckets", { ...good, histograms: [{ ...histogram, buckets: [1] }] }, "histograms.0.buckets"],
    [
      "a count that differs from its buckets",
      { ...good, histograms: [{ ...histogram, count: 9 }] },
      "histograms.0.count",
    ],
    ["an unknown field", { ...good, extra: 1 }, ""],
    ["seq 0", { ...good, seq: 0 }, "seq"],
    ["a missing source", { ...good, source: "" }, "source"],
  ])("rejects %s", (_name, value, path) => {
    expect(parseMetricsDelta(value)).toBeNull();
    const issues = MetricsDeltaSchema.safeParse(value).error?.issues ?? [];
    expect(issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("accepts what a registry produces after a JSON round trip", () => {
    expect(parseMetricsDelta(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });
});

describe("collectFamilies → encodePrometheus", () => {
  it("exposes every catalog metric, sums shards, and round-trips through a strict parser", () => {
    const shardA = createAggregate();
    const shardB = createAggregate();
    mergeDelta(shardA, deltaOf("iso-1", 2), 0);
    mergeDelta(shardB, deltaOf("iso-2", 1), 0);
    const r = createRegistry("iso-3");
    inc(r, "mesh_telemetry_dropped_total", { sink: "TelemetrySink/default/loki", kind: "log" }, 4);
    mergeDelta(shardB, takeDelta(r, 0)!, 0);
    setAggregateGauge(shardA, "mesh_config_propagation_lag_seconds", { proxy: "p1" }, 0.25, 0);

    const text = encodePrometheus(collectFamilies([shardA, shardB]));
    const parsed = parsePrometheusText(text);
    expect([...parsed.keys()].sort()).toEqual(Object.keys(METRICS).sort());
    const requests = parsed.get("mesh_requests_total")!;
    expect(requests.type).toBe("counter");
    expect(requests.samples).toHaveLength(1);
    expect(requests.samples[0]).toMatchObject({
      value: 3,
      labels: { destination_service_name: "reviews", response_code: "200", source_workload: "unknown" },
    });
    const duration = parsed.get("mesh_request_duration_milliseconds")!;
    expect(duration.samples.find((s) => s.name.endsWith("_count"))?.value).toBe(3);
    expect(duration.samples.find((s) => s.labels.le === "5")?.value).toBe(3);
    expect(duration.samples.find((s) => s.labels.le === "1")?.value).toBe(0);
    expect(parsed.get("mesh_telemetry_dropped_total")!.samples[0]).toMatchObject({
      labels: { sink: "TelemetrySink/default/loki", kind: "log" },
      value: 4,
    });
    expect(parsed.get("mesh_config_propagation_lag_seconds")!.samples[0]!.value).toBe(0.25);
  });
});
