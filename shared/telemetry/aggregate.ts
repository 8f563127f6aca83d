// The control plane's running totals: merges proxy deltas exactly once and turns totals into metric families.
import {
  DURATION_BUCKETS_MS,
  METRICS,
  OVERFLOW_VALUE,
  labelValues,
  type GaugeName,
  type LabelsOf,
  type MetricName,
} from "./catalog";
import {
  seriesKey,
  type CounterSample,
  type GaugeSample,
  type HistogramSample,
  type MetricsDelta,
} from "./metrics-delta";
import type { MetricFamily } from "./prometheus";

export const DEFAULT_AGGREGATE_MAX_SERIES = 50_000;

/**
 * Plain JSON data, so a Durable Object can store it as is. Counters and histograms only ever grow:
 * they hold totals since the aggregate was created, whatever happens to the isolates that report.
 */
export interface MetricsAggregate {
  /** Series allowed per metric; beyond it new label sets fold into the `__overflow__` series. */
  maxSeries: number;
  /** Last applied seq per delta source, for exactly-once merging of retried flushes. */
  sources: Record<string, { seq: number; lastSeenMs: number }>;
  counters: Record<string, CounterSample>;
  histograms: Record<string, HistogramSample>;
  gauges: Record<string, GaugeSample & { updatedMs: number }>;
}

export function createAggregate(options: { maxSeries?: number } = {}): MetricsAggregate {
  return {
    maxSeries: options.maxSeries ?? DEFAULT_AGGREGATE_MAX_SERIES,
    sources: {},
    counters: {},
    histograms: {},
    gauges: {},
  };
}

/** Series per metric, counted once per merge (not stored: the aggregate stays plain data). */
type Census = Map<MetricName, number>;

function census(agg: MetricsAggregate): Census {
  const counts: Census = new Map();
  for (const table of [agg.counters, agg.histograms, agg.gauges]) {
    for (const s of Object.values(table)) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  }
  return counts;
}

function admit(
  agg: MetricsAggregate,
  counts: Census,
  table: Record<string, unknown>,
  name: MetricName,
  labels: string[],
  count: number,
): string[] {
  if (Object.hasOwn(table, seriesKey(name, labels))) return labels;
  const n = counts.get(name) ?? 0;
  if (n < agg.maxSeries || name === "mesh_metric_series_overflow_total") {
    counts.set(name, n + 1);
    return labels;
  }
  addCounter(agg, counts, { name: "mesh_metric_series_overflow_total", labels: [name], value: count });
  const overflow = labels.map(() => OVERFLOW_VALUE);
  if (!Object.hasOwn(table, seriesKey(name, overflow))) counts.set(name, n + 1);
  return overflow;
}

function addCounter(agg: MetricsAggregate, counts: Census, sample: CounterSample): void {
  const labels = admit(agg, counts, agg.counters, sample.name, sample.labels, sample.value);
  const key = seriesKey(sample.name, labels);
  const total = agg.counters[key];
  if (total) total.value += sample.value;
  else agg.counters[key] = { name: sample.name, labels: [...labels], value: sample.value };
}

function addHistogram(agg: MetricsAggregate, counts: Census, sample: HistogramSample): void {
  const labels = admit(agg, counts, agg.histograms, sample.name, sample.labels, sample.count);
  const key = seriesKey(sample.name, labels);
  const total = agg.histograms[key];
  if (!total) {
    agg.histograms[key] = {
      name: sample.name,
      labels: [...labels],
      buckets: [...sample.buckets],
      sum: sample.sum,
      count: sample.count,
    };
    return;
  }
  for (let i = 0; i < total.buckets.length; i++) total.buckets[i]! += sample.buckets[i] ?? 0;
  total.sum += sample.sum;
  total.count += sample.count;
}

function putGauge(agg: MetricsAggregate, counts: Census, sample: GaugeSample, updatedMs: number): void {
  const labels = admit(agg, counts, agg.gauges, sample.name, sample.labels, 1);
  const key = seriesKey(sample.name, labels);
  const current = agg.gauges[key];
  // Deltas from different proxies arrive out of order: the newest measurement wins.
  if (current && current.updatedMs > updatedMs) return;
  agg.gauges[key] = { name: sample.name, labels: [...labels], value: sample.value, updatedMs };
}

/**
 * Applies a validated delta (see `parseMetricsDelta`) once. Returns "duplicate" for a seq at or below
 * the last one applied from that source (a retried flush); both answers let the proxy `ackDelta`.
 * Per flush received.
 */
export function mergeDelta(agg: MetricsAggregate, delta: MetricsDelta, nowMs: number): "applied" | "duplicate" {
  const seen = agg.sources[delta.source];
  if (seen && delta.seq <= seen.seq) {
    seen.lastSeenMs = nowMs;
    return "duplicate";
  }
  agg.sources[delta.source] = { seq: delta.seq, lastSeenMs: nowMs };
  const counts = census(agg);
  for (const sample of delta.counters) addCounter(agg, counts, sample);
  for (const sample of delta.histograms) addHistogram(agg, counts, sample);
  for (const sample of delta.gauges) putGauge(agg, counts, sample, delta.timeMs);
  return "applied";
}

/** Sets a gauge the control plane measures itself (revision per proxy, propagation lag, CA expiry). */
export function setAggregateGauge<N extends GaugeName>(
  agg: MetricsAggregate,
  name: N,
  labels: LabelsOf<N>,
  value: number,
  nowMs: number,
): void {
  if (!Number.isFinite(value)) return;
  const values = labelValues(name, labels as Record<string, string | undefined>);
  putGauge(agg, census(agg), { name, labels: values, value }, nowMs);
}

/**
 * Forgets sources and gauges not heard from within `ttlMs` (dead isolates, departed proxies), so the
 * aggregate stays bounded. Counters are kept: dropping them would make totals go backwards.
 * A flush retried after its source was forgotten would count twice; keep the TTL well above the
 * longest retry (an hour is plenty). Per alarm / periodic.
 */
export function pruneAggregate(agg: MetricsAggregate, nowMs: number, ttlMs: number): void {
  for (const [source, seen] of Object.entries(agg.sources)) {
    if (nowMs - seen.lastSeenMs > ttlMs) delete agg.sources[source];
  }
  for (const [key, gauge] of Object.entries(agg.gauges)) {
    if (nowMs - gauge.updatedMs > ttlMs) delete agg.gauges[key];
  }
}

function labelPairs(name: MetricName, values: readonly string[]): [string, string][] {
  return METRICS[name].labels.map((label, i) => [label, values[i] ?? ""] as [string, string]);
}

/**
 * Metric families for `/metrics`, summing the aggregates of every shard (a source reports to one
 * shard, so sums count each increment once). Every catalog metric appears, even with no samples,
 * so dashboards see the family. Per scrape.
 */
export function collectFamilies(aggregates: readonly MetricsAggregate[]): MetricFamily[] {
  const merged = createAggregate({ maxSeries: Number.POSITIVE_INFINITY });
  const counts: Census = new Map();
  for (const agg of aggregates) {
    for (const c of Object.values(agg.counters)) addCounter(merged, counts, c);
    for (const h of Object.values(agg.histograms)) addHistogram(merged, counts, h);
    for (const g of Object.values(agg.gauges)) putGauge(merged, counts, g, g.updatedMs);
  }
  const families: MetricFamily[] = [];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const def = METRICS[name];
    if (def.type === "histogram") {
      const samples = Object.values(merged.histograms)
        .filter((h) => h.name === name)
        .map((h) => ({ labels: labelPairs(name, h.labels), buckets: h.buckets, sum: h.sum, count: h.count }));
      families.push({ name, help: def.help, type: "histogram", bounds: DURATION_BUCKETS_MS, samples });
    } else {
      const table = def.type === "counter" ? merged.counters : merged.gauges;
      const samples = Object.values(table)
        .filter((s) => s.name === name)
        .map((s) => ({ labels: labelPairs(name, s.labels), value: s.value }));
      families.push({ name, help: def.help, type: def.type, samples });
    }
  }
  return families;
}
