// Façade: pure telemetry for the mesh — metrics, trace context, access logs, sink encoders, shipping buffer, topology.

// Metrics: catalog, per-isolate registry (proxy), aggregate (control plane), exposition.
export {
  DURATION_BUCKETS_MS,
  REQUEST_LABELS,
  METRICS,
  OVERFLOW_VALUE,
  UNKNOWN_VALUE,
  type MetricName,
  type CounterName,
  type GaugeName,
  type LabelsOf,
  type RequestLabels,
  type RequestLabelName,
} from "./catalog";
export {
  createRegistry,
  record,
  inc,
  setGauge,
  takeDelta,
  ackDelta,
  DEFAULT_MAX_SERIES,
  type MetricsRegistry,
} from "./metrics";
export {
  parseMetricsDelta,
  MetricsDeltaSchema,
  METRICS_DELTA_FORMAT,
  type MetricsDelta,
  type CounterSample,
  type HistogramSample,
  type GaugeSample,
} from "./metrics-delta";
export {
  createAggregate,
  mergeDelta,
  setAggregateGauge,
  pruneAggregate,
  collectFamilies,
  DEFAULT_AGGREGATE_MAX_SERIES,
  type MetricsAggregate,
} from "./aggregate";
export {
  encodePrometheus,
  escapeLabelValue,
  formatValue,
  PROMETHEUS_CONTENT_TYPE,
  type MetricFamily,
  type LabelPairs,
} from "./prometheus";
export {
  topologyFromDeltas,
  topologyFromAggregates,
  topologyFromHistograms,
  histogramQuantile,
  type Topology,
  type TopologyNode,
  type TopologyEdge,
  type NodeKind,
} from "./topology";

// Tracing: context propagation and sampling, spans.
export {
  continueOrStart,
  childContext,
  injectHeaders,
  writeTraceHeaders,
  shouldSample,
  sampledForSink,
  traceRandom01,
  randomId,
  TRACE_HEADER_NAMES,
  TRACE_PROPAGATORS,
  ALL_PROPAGATION,
  tracePropagation,
  type TracePropagator,
  type TracePropagation,
  type TraceContext,
  type RandomBytes,
  type HeaderReader,
} from "./trace-context";
export {
  parseTraceParent,
  formatTraceParent,
  parseTraceState,
  formatTraceState,
  FLAG_SAMPLED,
  FLAG_RANDOM,
  type TraceParent,
} from "./traceparent";
export { parseB3Multi, parseB3Single, formatB3, type B3Context } from "./b3";
export {
  buildHttpSpan,
  msToUnixNano,
  type SpanRecord,
  type HttpSpanInput,
  type SpanKind,
  type AttributeValue,
} from "./span";

// Access logs.
export {
  buildAccessLog,
  accessLogLine,
  levelForStatus,
  type AccessLogInput,
  type AccessLogEntry,
  type LogLevel,
} from "./access-log";
export {
  flagsToString,
  parseFlags,
  flagForErrorCode,
  RESPONSE_FLAGS,
  NO_FLAGS,
  type ResponseFlag,
} from "./response-flags";
export { redact, sanitizePath, endpointHost, isSecretHeader, isSecretQueryKey, REDACTED } from "./redact";

// Sink encoders and shipping.
export {
  encodeOtlpTraces,
  encodeOtlpLogs,
  OTLP_TRACES_PATH,
  OTLP_LOGS_PATH,
  OTLP_CONTENT_TYPE,
  type OtlpTracesRequest,
  type OtlpLogsRequest,
} from "./otlp";
export { encodeZipkin, ZIPKIN_CONTENT_TYPE, type ZipkinSpan } from "./zipkin";
export { encodeLokiPush, LOKI_PUSH_PATH, LOKI_CONTENT_TYPE, type LokiPush } from "./loki";
export {
  accessLogToSyslog,
  encodeSyslogBatch,
  formatSyslog,
  frameOctetCounting,
  syslogSeverity,
  type SyslogOptions,
  type SyslogMessage,
} from "./syslog";
export { encodeHttpJson, type HttpJsonFormat } from "./http-json";
export { sinkTargets, appendPath, type SinkTargets } from "./sink-targets";
export {
  createBuffer,
  enqueue,
  takeBatch,
  onSendResult,
  nextWakeAt,
  takeStats,
  backoffMs,
  classifyStatus,
  type ShipBuffer,
  type Batch,
  type BatchOptions,
  type RetryOptions,
  type SendResult,
  type ShipStats,
  type TelemetryKind,
} from "./buffer";
