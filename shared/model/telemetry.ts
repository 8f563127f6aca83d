// The normalized telemetry configuration a proxy and a shipper consume (compiled from TelemetrySink resources).
import * as z from "zod";
import { isSecretHeader } from "../telemetry/redact";
import { ServiceKey } from "./service-key";

export const SINK_TYPES = ["loki", "otlp-http", "zipkin", "http-json", "syslog"] as const;
export const TelemetrySinkType = z.enum(SINK_TYPES);
export type TelemetrySinkType = z.infer<typeof TelemetrySinkType>;

export const TelemetrySignal = z.enum(["logs", "traces"]);
export type TelemetrySignal = z.infer<typeof TelemetrySignal>;

/** What each sink type can receive, and what it receives when `signals` is not given. */
export const SINK_SIGNALS: Record<
  TelemetrySinkType,
  { supported: readonly TelemetrySignal[]; default: readonly TelemetrySignal[] }
> = {
  "otlp-http": { supported: ["logs", "traces"], default: ["logs", "traces"] },
  zipkin: { supported: ["traces"], default: ["traces"] },
  loki: { supported: ["logs"], default: ["logs"] },
  "http-json": { supported: ["logs", "traces"], default: ["logs"] },
  syslog: { supported: ["logs"], default: ["logs"] },
};

/** A Worker secret (or env var) name on the shipper that holds a header value: never the value itself. */
export const SecretName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be a secret binding name like LOKI_TOKEN");

/** HTTP header names the shipper sets itself or that hop-by-hop rules forbid. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "te",
  "upgrade",
]);

export const SinkHeaderModel = z
  .strictObject({
    /** Header name (RFC 9110 token), stored lower-case. */
    name: z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be an HTTP header name")
      .transform((n) => n.toLowerCase())
      .refine((n) => !RESERVED_HEADERS.has(n), "is set by the shipper and cannot be configured"),
    /** The secret whose value is sent. */
    secret: SecretName.optional(),
    /** Literal text sent before the secret, e.g. `Bearer ` or `Splunk ` (not secret). */
    prefix: z
      .string()
      .max(64)
      .regex(/^[\x20-\x7e]*$/)
      .optional(),
    /** A plain, non-sensitive value (e.g. `X-Scope-OrgID`), instead of `secret`. */
    value: z
      .string()
      .max(1024)
      .regex(/^[\x20-\x7e]*$/)
      .optional(),
  })
  .refine((h) => (h.secret === undefined) !== (h.value === undefined), {
    message: "needs exactly one of secret, value",
    path: ["secret"],
  })
  // A credential never travels as plain configuration: it must be a secret on the shipper.
  .refine((h) => h.value === undefined || !isSecretHeader(h.name), {
    message: "carries a credential: use secret",
    path: ["value"],
  });
export type SinkHeaderModel = z.infer<typeof SinkHeaderModel>;

const Percent = z.number().min(0).max(100);

export const SinkBatchModel = z.strictObject({
  /** Send when this many entries wait… */
  maxEntries: z.number().int().min(1).max(10_000).default(100),
  /** …or when the oldest has waited this long. */
  maxDelayMs: z.number().int().min(0).max(60_000).default(1_000),
});
export type SinkBatchModel = z.infer<typeof SinkBatchModel>;

export const SyslogSinkOptions = z.strictObject({
  /** 0–23; default local0 (16). */
  facility: z.number().int().min(0).max(23).default(16),
  appName: z
    .string()
    .regex(/^[\x21-\x7e]{1,48}$/)
    .default("flaremesh"),
  hostname: z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional(),
  /** Add `[mesh@32473 trace_id=…]` structured data to each message. */
  structuredData: z.boolean().default(false),
});
export type SyslogSinkOptions = z.infer<typeof SyslogSinkOptions>;

export const TelemetrySinkModel = z
  .strictObject({
    /** `TelemetrySink/<namespace>/<name>`: identifies the sink in metrics (`sink` label) and logs. */
    id: z.string().min(1).max(253),
    type: TelemetrySinkType,
    /**
     * otlp-http and loki: base URL (`/v1/traces`, `/v1/logs`, `/loki/api/v1/push` appended);
     * zipkin and http-json: full URL; syslog: `tcp://host:port` or `tls://host:port`.
     * Never with user-info: credentials belong in `headers` as secrets.
     */
    endpoint: z.string().min(1).max(2048),
    headers: z.array(SinkHeaderModel).max(32).default([]),
    /** Share of sampled traces this sink receives (access logs are never sampled). */
    samplingPercent: Percent.default(100),
    batch: SinkBatchModel.default({ maxEntries: 100, maxDelayMs: 1_000 }),
    /** Entries buffered while the sink is slow or down; the oldest are dropped (and counted) beyond it. */
    bufferEntries: z.number().int().min(1).max(100_000).default(1_000),
    /** A send not answered within this is retried. */
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    /** Defaults per type (`SINK_SIGNALS`). */
    signals: z.array(TelemetrySignal).min(1).optional(),
    /** The Services the sink is scoped to (`targetRef`/`targetRefs`, as `<namespace>/<name>`); absent = mesh-wide. */
    services: z.array(ServiceKey).min(1).optional(),
    /** http-json only: one JSON document per batch, or NDJSON. */
    format: z.enum(["json", "ndjson"]).optional(),
    /** loki only: send trace/span ids as structured metadata (Loki 3+). */
    structuredMetadata: z.boolean().optional(),
    syslog: SyslogSinkOptions.optional(),
  })
  .superRefine((sink, ctx) => {
    const problem = endpointProblem(sink.type, sink.endpoint);
    if (problem) ctx.addIssue({ code: "custom", path: ["endpoint"], message: problem });
    for (const [i, signal] of (sink.signals ?? []).entries()) {
      if (!SINK_SIGNALS[sink.type].supported.includes(signal)) {
        ctx.addIssue({ code: "custom", path: ["signals", i], message: `a ${sink.type} sink cannot receive ${signal}` });
      }
    }
    if (sink.format !== undefined && sink.type !== "http-json")
      ctx.addIssue({ code: "custom", path: ["format"], message: "only for http-json sinks" });
    if (sink.syslog !== undefined && sink.type !== "syslog")
      ctx.addIssue({ code: "custom", path: ["syslog"], message: "only for syslog sinks" });
    if (sink.structuredMetadata !== undefined && sink.type !== "loki") {
      ctx.addIssue({ code: "custom", path: ["structuredMetadata"], message: "only for loki sinks" });
    }
    if (sink.type === "syslog" && sink.headers.length > 0)
      ctx.addIssue({ code: "custom", path: ["headers"], message: "syslog has no headers" });
  });
export type TelemetrySinkModel = z.infer<typeof TelemetrySinkModel>;

/** Why an endpoint is unusable for a sink type, or undefined when it is fine. */
export function endpointProblem(type: TelemetrySinkType, endpoint: string): string | undefined {
  if (!URL.canParse(endpoint)) return "must be an absolute URL";
  const url = new URL(endpoint);
  if (url.username !== "" || url.password !== "")
    return "must not contain credentials: put them in headers, as secrets";
  if (type === "syslog") {
    if (url.protocol !== "tcp:" && url.protocol !== "tls:") return "must be tcp://host:port or tls://host:port";
    if (url.hostname === "" || url.port === "") return "must name a host and a port";
    if (url.pathname !== "" && url.pathname !== "/") return "must not have a path";
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
  if (url.hash !== "") return "must not have a fragment";
  return undefined;
}

/** The signals a sink receives, with its type's defaults filled in. */
export function sinkSignals(sink: Pick<TelemetrySinkModel, "type" | "signals">): readonly TelemetrySignal[] {
  return sink.signals ?? SINK_SIGNALS[sink.type].default;
}

/** Mesh-wide telemetry settings plus every sink; what a snapshot's `telemetry` field would hold. */
export const TelemetryModel = z.strictObject({
  /** Sampling for traces that start at the mesh (a caller's decision is always followed). */
  samplingPercent: Percent.default(100),
  /** Access logs for every request (shipped to the sinks that take logs). */
  accessLogs: z.boolean().default(true),
  sinks: z.array(TelemetrySinkModel).default([]),
});
export type TelemetryModel = z.infer<typeof TelemetryModel>;

/** Validates untrusted telemetry config; null when invalid (keep the last good one). */
export function parseTelemetry(value: unknown): TelemetryModel | null {
  const result = TelemetryModel.safeParse(value);
  return result.success ? result.data : null;
}

/** The sinks that apply to requests of one service: mesh-wide ones and those targeting it. */
export function sinksForService(model: TelemetryModel, serviceKey: string): TelemetrySinkModel[] {
  return model.sinks.filter((s) => s.services === undefined || s.services.includes(serviceKey));
}
