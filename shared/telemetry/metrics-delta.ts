// What a proxy flushes to the control plane: the increments since its last flush, with its schema.
import * as z from "zod";
import {
  DURATION_BUCKETS_MS,
  METRICS,
  isMetricName,
  type CounterName,
  type GaugeName,
  type HistogramName,
} from "./catalog";

export const METRICS_DELTA_FORMAT = 1;

/** Label values are positional, in the order `METRICS[name].labels` declares (keeps flushes small). */
export interface CounterSample {
  name: CounterName;
  labels: string[];
  value: number;
}
export interface HistogramSample {
  name: HistogramName;
  labels: string[];
  /** Per-bucket (not cumulative) counts, one per `DURATION_BUCKETS_MS` bound plus the `+Inf` bucket. */
  buckets: number[];
  sum: number;
  count: number;
}
export interface GaugeSample {
  name: GaugeName;
  labels: string[];
  value: number;
}

/**
 * One flush. `(source, seq)` makes it idempotent: a source sends seq n+1 only after n was
 * acknowledged, so the aggregate applies a delta only when its seq is above the last one it saw.
 */
export interface MetricsDelta {
  format: typeof METRICS_DELTA_FORMAT;
  /** Identifies one isolate's registry; a restarted isolate is a new source. */
  source: string;
  seq: number;
  /** When the delta was cut (ms since the epoch); topology windows use it. */
  timeMs: number;
  counters: CounterSample[];
  histograms: HistogramSample[];
  gauges: GaugeSample[];
}

const MAX_SERIES_PER_DELTA = 20_000;
const Count = z.number().finite().min(0);
const Labels = z.array(z.string().max(1024)).max(32);

function labelsMatch(name: string, labels: string[]): boolean {
  return isMetricName(name) && METRICS[name].labels.length === labels.length;
}

function ofType(type: "counter" | "gauge" | "histogram") {
  return (name: string) => isMetricName(name) && METRICS[name].type === type;
}

const CounterSampleSchema = z
  .strictObject({ name: z.string().refine(ofType("counter"), "not a counter"), labels: Labels, value: Count })
  .refine((s) => labelsMatch(s.name, s.labels), { message: "wrong number of label values", path: ["labels"] });

const HistogramSampleSchema = z
  .strictObject({
    name: z.string().refine(ofType("histogram"), "not a histogram"),
    labels: Labels,
    buckets: z.array(Count).length(DURATION_BUCKETS_MS.length + 1),
    sum: Count,
    count: Count,
  })
  .refine((s) => labelsMatch(s.name, s.labels), { message: "wrong number of label values", path: ["labels"] })
  .refine((s) => s.buckets.reduce((a, b) => a + b, 0) === s.count, {
    message: "count differs from buckets",
    path: ["count"],
  });

const GaugeSampleSchema = z
  .strictObject({ name: z.string().refine(ofType("gauge"), "not a gauge"), labels: Labels, value: z.number().finite() })
  .refine((s) => labelsMatch(s.name, s.labels), { message: "wrong number of label values", path: ["labels"] });

export const MetricsDeltaSchema = z.strictObject({
  format: z.literal(METRICS_DELTA_FORMAT),
  source: z.string().min(1).max(128),
  seq: z.number().int().min(1),
  timeMs: z.number().int().min(0),
  counters: z.array(CounterSampleSchema).max(MAX_SERIES_PER_DELTA),
  histograms: z.array(HistogramSampleSchema).max(MAX_SERIES_PER_DELTA),
  gauges: z.array(GaugeSampleSchema).max(MAX_SERIES_PER_DELTA),
});

/** Validates a delta received from a proxy; null when it is malformed (counters must never go negative). */
export function parseMetricsDelta(value: unknown): MetricsDelta | null {
  const result = MetricsDeltaSchema.safeParse(value);
  return result.success ? (result.data as MetricsDelta) : null;
}

/** Stable identity of a series inside a registry or an aggregate. */
export function seriesKey(name: string, labels: readonly string[]): string {
  return JSON.stringify([name, ...labels]);
}
