// The mesh's standard metrics: names, types, help text and label names (Istio's, so Istio dashboards work).

/**
 * Istio's default buckets for `istio_request_duration_milliseconds` (Envoy's default histogram
 * buckets), in milliseconds. Fixed so that deltas from every proxy can be summed bucket by bucket.
 */
export const DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/** Istio's standard request labels, in exposition order. `reporter` lets Istio's Grafana queries match. */
export const REQUEST_LABELS = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "destination_service_name",
  "destination_service_namespace",
  "destination_workload",
  "destination_version",
  "response_code",
  "response_flags",
  "request_protocol",
  "connection_security_policy",
] as const;
export type RequestLabelName = (typeof REQUEST_LABELS)[number];
/** Label values for one request; a missing value is exposed as `unknown`, as Istio does. */
export type RequestLabels = Partial<Record<RequestLabelName, string>>;

const DESTINATION = ["destination_service_name", "destination_service_namespace"] as const;

export const METRICS = {
  mesh_requests_total: {
    type: "counter",
    help: "Requests handled by mesh proxies, with Istio's standard labels.",
    labels: REQUEST_LABELS,
  },
  mesh_request_duration_milliseconds: {
    type: "histogram",
    help: "Duration of requests handled by mesh proxies, in milliseconds.",
    labels: REQUEST_LABELS,
  },
  mesh_retries_total: {
    type: "counter",
    help: "Retries attempted by mesh proxies (not counting first tries).",
    labels: DESTINATION,
  },
  mesh_outlier_ejections_total: {
    type: "counter",
    help: "Endpoints ejected by outlier detection.",
    labels: [...DESTINATION, "endpoint"],
  },
  mesh_circuit_breaker_overflows_total: {
    type: "counter",
    help: "Requests refused because a circuit breaker limit was reached.",
    labels: DESTINATION,
  },
  mesh_rate_limited_total: {
    type: "counter",
    help: "Requests refused by a local or global rate limit.",
    labels: [...DESTINATION, "scope"],
  },
  mesh_telemetry_sent_total: {
    type: "counter",
    help: "Telemetry entries delivered to a TelemetrySink.",
    labels: ["sink", "kind"],
  },
  mesh_telemetry_dropped_total: {
    type: "counter",
    help: "Telemetry entries dropped (buffer full, retries exhausted or rejected by the sink).",
    labels: ["sink", "kind"],
  },
  mesh_metric_series_overflow_total: {
    type: "counter",
    help: "Samples folded into the __overflow__ series because a series limit was reached.",
    labels: ["metric"],
  },
  mesh_proxy_config_revision: {
    type: "gauge",
    help: "Configuration revision each proxy serves.",
    labels: ["proxy"],
  },
  mesh_config_propagation_lag_seconds: {
    type: "gauge",
    help: "Seconds between a revision's creation and a proxy first serving it.",
    labels: ["proxy"],
  },
  mesh_ca_root_expiry_seconds: {
    type: "gauge",
    help: "Seconds until the mesh CA root certificate expires.",
    labels: [],
  },
} as const satisfies Record<
  string,
  { type: "counter" | "histogram" | "gauge"; help: string; labels: readonly string[] }
>;

export type MetricName = keyof typeof METRICS;
type OfType<T extends string> = { [K in MetricName]: (typeof METRICS)[K]["type"] extends T ? K : never }[MetricName];
export type CounterName = OfType<"counter">;
export type GaugeName = OfType<"gauge">;
export type HistogramName = OfType<"histogram">;
/** The label values a metric takes; missing ones become `unknown`, unknown names are ignored. */
export type LabelsOf<N extends MetricName> = Partial<Record<(typeof METRICS)[N]["labels"][number], string>>;

/** Value every label of the overflow series carries. */
export const OVERFLOW_VALUE = "__overflow__";
/** Value for a label the caller did not know (Istio's convention). */
export const UNKNOWN_VALUE = "unknown";
/** Longer label values are cut, so one odd request cannot bloat every flush. */
export const MAX_LABEL_VALUE_LENGTH = 256;

export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRICS, name);
}

/** Label values in the metric's declared order: missing → `unknown`, over-long → cut. */
export function labelValues(name: MetricName, labels: Readonly<Record<string, string | undefined>>): string[] {
  return METRICS[name].labels.map((label) => labelValue(labels[label]));
}

/** A label value as exposed: `unknown` when missing or empty, cut to `MAX_LABEL_VALUE_LENGTH`. */
export function labelValue(value: string | undefined): string {
  if (value === undefined || value === "") return UNKNOWN_VALUE;
  return value.length > MAX_LABEL_VALUE_LENGTH ? value.slice(0, MAX_LABEL_VALUE_LENGTH) : value;
}

/** Bucket index for a duration with Prometheus `le` semantics; the last index is `+Inf`. */
export function bucketIndex(durationMs: number): number {
  for (let i = 0; i < DURATION_BUCKETS_MS.length; i++) {
    if (durationMs <= DURATION_BUCKETS_MS[i]!) return i;
  }
  return DURATION_BUCKETS_MS.length;
}
