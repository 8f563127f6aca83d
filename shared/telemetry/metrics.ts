// The in-isolate metrics registry of a proxy: counts per request, hands out deltas to flush in the background.
import {
  DURATION_BUCKETS_MS,
  OVERFLOW_VALUE,
  REQUEST_LABELS,
  bucketIndex,
  labelValue,
  labelValues,
  type CounterName,
  type GaugeName,
  type LabelsOf,
  type MetricName,
  type RequestLabels,
} from "./catalog";
import {
  METRICS_DELTA_FORMAT,
  seriesKey,
  type CounterSample,
  type GaugeSample,
  type HistogramSample,
  type MetricsDelta,
} from "./metrics-delta";

export const DEFAULT_MAX_SERIES = 2_000;

export interface MetricsRegistry {
  readonly source: string;
  /** Series allowed per metric and flush window before new label sets fold into the `__overflow__` series. */
  readonly maxSeries: number;
  /** Series per metric in the current window (the cap is per metric, so one noisy metric cannot starve others). */
  seriesPerMetric: Map<MetricName, number>;
  /** Seq of the last delta cut. */
  seq: number;
  counters: Map<string, CounterSample>;
  histograms: Map<string, HistogramSample>;
  gauges: Map<string, GaugeSample>;
  /** This window's request series by their label values (JSON), so a label set seen before costs one lookup. */
  requestSeries: Map<string, RequestSeries>;
  /** The delta handed out and not yet acknowledged; re-sent as is until `ackDelta`. */
  pending: MetricsDelta | null;
}

/** `source` must be unique per isolate (e.g. random hex made at module load). */
export function createRegistry(source: string, options: { maxSeries?: number } = {}): MetricsRegistry {
  return {
    source,
    maxSeries: options.maxSeries ?? DEFAULT_MAX_SERIES,
    seq: 0,
    seriesPerMetric: new Map(),
    counters: new Map(),
    histograms: new Map(),
    gauges: new Map(),
    requestSeries: new Map(),
    pending: null,
  };
}

/** The two samples one request updates; `overflowed` when its label set was folded into the overflow series. */
interface RequestSeries {
  counter: CounterSample;
  histogram: HistogramSample;
  overflowed: boolean;
}

function isFull(registry: MetricsRegistry, name: MetricName): boolean {
  return (registry.seriesPerMetric.get(name) ?? 0) >= registry.maxSeries;
}

function noteNew(registry: MetricsRegistry, name: MetricName): void {
  registry.seriesPerMetric.set(name, (registry.seriesPerMetric.get(name) ?? 0) + 1);
}

/**
 * The label values to write under: the given ones when the series exists or fits under the cap, else
 * the metric's overflow series (every value `__overflow__`), which is always allowed; folds are counted.
 */
function admit(registry: MetricsRegistry, map: Map<string, unknown>, name: MetricName, labels: string[]): string[] {
  if (map.has(seriesKey(name, labels)) || !isFull(registry, name)) return labels;
  // The overflow counter itself has one bounded label (a metric name): it never overflows.
  if (name === "mesh_metric_series_overflow_total") return labels;
  addCounter(registry, "mesh_metric_series_overflow_total", [name], 1);
  return labels.map(() => OVERFLOW_VALUE);
}

function addCounter(registry: MetricsRegistry, name: CounterName, values: string[], by: number): void {
  const labels = admit(registry, registry.counters, name, values);
  const key = seriesKey(name, labels);
  const sample = registry.counters.get(key);
  if (sample) sample.value += by;
  else {
    registry.counters.set(key, { name, labels, value: by });
    noteNew(registry, name);
  }
}

/**
 * Counts one request: `mesh_requests_total` and `mesh_request_duration_milliseconds`. `reporter`
 * defaults to `destination` (the proxy fronts the destination), which Istio's dashboards query. Per request.
 */
export function record(registry: MetricsRegistry, labels: RequestLabels, durationMs: number): void {
  const values = requestLabelValues(labels);
  const key = JSON.stringify(values);
  let series = registry.requestSeries.get(key);
  if (series === undefined) {
    series = requestSeries(registry, values);
    registry.requestSeries.set(key, series);
  } else if (series.overflowed) {
    addCounter(registry, "mesh_metric_series_overflow_total", ["mesh_requests_total"], 1);
  }
  series.counter.value += 1;
  const ms = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0;
  const sample = series.histogram;
  sample.buckets[bucketIndex(ms)]! += 1;
  sample.sum += ms;
  sample.count += 1;
}

/** `labelValues` of a request metric, `reporter` defaulting to `destination`, without intermediate objects. */
function requestLabelValues(labels: RequestLabels): string[] {
  const values = new Array<string>(REQUEST_LABELS.length);
  for (let i = 0; i < REQUEST_LABELS.length; i++) {
    const name = REQUEST_LABELS[i]!;
    values[i] = labelValue(name === "reporter" && !("reporter" in labels) ? "destination" : labels[name]);
  }
  return values;
}

/** The samples a label set new to this window writes to, admitted under the cap or folded into the overflow series. */
function requestSeries(registry: MetricsRegistry, labelSet: string[]): RequestSeries {
  const counter = "mesh_requests_total";
  const histogram = "mesh_request_duration_milliseconds";
  let values = labelSet;
  let counterKey = seriesKey(counter, values);
  let histogramKey = seriesKey(histogram, values);
  // One admission decision for both series, so a request is never split between real and overflow.
  const known = registry.counters.has(counterKey) && registry.histograms.has(histogramKey);
  const overflowed = !known && (isFull(registry, counter) || isFull(registry, histogram));
  if (overflowed) {
    addCounter(registry, "mesh_metric_series_overflow_total", [counter], 1);
    values = values.map(() => OVERFLOW_VALUE);
    counterKey = seriesKey(counter, values);
    histogramKey = seriesKey(histogram, values);
  }
  let counted = registry.counters.get(counterKey);
  if (counted === undefined) {
    counted = { name: counter, labels: values, value: 0 };
    registry.counters.set(counterKey, counted);
    noteNew(registry, counter);
  }
  let sample = registry.histograms.get(histogramKey);
  if (sample === undefined) {
    sample = { name: histogram, labels: values, buckets: emptyBuckets(), sum: 0, count: 0 };
    registry.histograms.set(histogramKey, sample);
    noteNew(registry, histogram);
  }
  return { counter: counted, histogram: sample, overflowed };
}

function emptyBuckets(): number[] {
  return new Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0);
}

/** Adds to a counter (retries, ejections, overflows, rate limits, telemetry sent/dropped). Negative or NaN `by` is ignored: counters only grow. */
export function inc<N extends CounterName>(registry: MetricsRegistry, name: N, labels: LabelsOf<N>, by = 1): void {
  if (!(by > 0) || !Number.isFinite(by)) return;
  addCounter(registry, name, labelValues(name, labels as Record<string, string | undefined>), by);
}

/** Sets a gauge; the last value set before a flush is the one sent. */
export function setGauge<N extends GaugeName>(
  registry: MetricsRegistry,
  name: N,
  labels: LabelsOf<N>,
  value: number,
): void {
  if (!Number.isFinite(value)) return;
  const values = admit(
    registry,
    registry.gauges,
    name,
    labelValues(name, labels as Record<string, string | undefined>),
  );
  const key = seriesKey(name, values);
  if (!registry.gauges.has(key)) noteNew(registry, name);
  registry.gauges.set(key, { name, labels: values, value });
}

/**
 * What to flush now, or null when there is nothing. While a delta is unacknowledged the same delta
 * (same seq) is returned again, so a retried flush after a lost answer is deduplicated by the
 * aggregate; new samples keep accumulating and go out in the next delta. Per flush.
 */
export function takeDelta(registry: MetricsRegistry, nowMs: number): MetricsDelta | null {
  if (registry.pending) return registry.pending;
  if (registry.counters.size + registry.histograms.size + registry.gauges.size === 0) return null;
  registry.seq += 1;
  const delta: MetricsDelta = {
    format: METRICS_DELTA_FORMAT,
    source: registry.source,
    seq: registry.seq,
    timeMs: Math.max(0, Math.floor(nowMs)),
    counters: [...registry.counters.values()],
    histograms: [...registry.histograms.values()],
    gauges: [...registry.gauges.values()],
  };
  registry.counters = new Map();
  registry.histograms = new Map();
  registry.gauges = new Map();
  registry.requestSeries = new Map();
  registry.seriesPerMetric = new Map();
  registry.pending = delta;
  return delta;
}

/** Marks the delta with this seq as stored by the control plane (it answered, "applied" or "duplicate"). */
export function ackDelta(registry: MetricsRegistry, seq: number): void {
  if (registry.pending?.seq === seq) registry.pending = null;
}
