// flaremesh.dev/v1alpha1 TelemetrySink: where access logs, spans and metrics are shipped.
import * as z from "zod";
import { SINK_SIGNALS } from "../model/telemetry";
import { isSecretHeader } from "../telemetry/redact";
import { duration, originUrlError, percentage, positiveInt, targetRef } from "./common";

export const SINK_TYPES = ["loki", "otlp-http", "zipkin", "http-json", "syslog"] as const;

/** Problem with a sink endpoint for its type, or undefined. Syslog takes `tcp://host:port` / `tls://host:port`. */
export function sinkEndpointError(type: (typeof SINK_TYPES)[number], endpoint: string): string | undefined {
  if (type !== "syslog") return originUrlError(endpoint);
  const m = /^(tcp|tls):\/\/([^/?#@\s]+):(\d{1,5})$/.exec(endpoint);
  if (m === null) return "must be tcp://host:port or tls://host:port";
  const portNumber = Number(m[3]);
  return portNumber >= 1 && portNumber <= 65535 ? undefined : "port must be 1–65535";
}

/**
 * A header the shipper sends: `{secret: NAME, prefix?}` names a Worker secret of the telemetry shipper
 * (`wrangler secret put NAME`) whose value is sent, after `prefix` (`Bearer `); a plain string is allowed
 * only for headers that carry no credential (`X-Scope-OrgID`), so tokens never sit in the configuration.
 */
export const sinkHeaderValue = z.union([
  z.string().max(1024),
  z.strictObject({
    secret: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be a secret name such as LOKI_TOKEN"),
    prefix: z.string().max(64).optional(),
  }),
]);

const sinkHeaders = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be an HTTP header name"),
  sinkHeaderValue,
);

export const TelemetrySinkSpec = z
  .strictObject({
    type: z.enum(SINK_TYPES),
    endpoint: z.string().min(1),
    headers: sinkHeaders.optional(),
    samplingPercent: percentage.optional(),
    batch: z.strictObject({ maxEntries: positiveInt.max(10_000).optional(), maxDelay: duration.optional() }).optional(),
    targetRef: targetRef.optional(),
    targetRefs: z.array(targetRef).optional(),
    /** `logs` and/or `traces`; default per type (otlp-http both, zipkin traces, loki/syslog/http-json logs). */
    signals: z
      .array(z.enum(["logs", "traces"]))
      .min(1)
      .optional(),
    /** http-json: one JSON document per batch (`json`, default) or NDJSON. */
    format: z.enum(["json", "ndjson"]).optional(),
    /** syslog: facility (0–23, default 16 = local0), APP-NAME, and `[mesh@32473 trace_id=…]` structured data. */
    syslog: z
      .strictObject({
        facility: z.number().int().min(0).max(23).optional(),
        appName: z
          .string()
          .regex(/^[\x21-\x7e]{1,48}$/, "must be 1–48 printable ASCII characters")
          .optional(),
        structuredData: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((spec, ctx) => {
    const problem = sinkEndpointError(spec.type, spec.endpoint);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["endpoint"], message: problem });
    for (const [name, value] of Object.entries(spec.headers ?? {})) {
      if (typeof value === "string" && isSecretHeader(name)) {
        ctx.addIssue({
          code: "custom",
          path: ["headers", name],
          message: "carries a credential: write {secret: NAME} and store the value as a secret of the telemetry Worker",
        });
      }
    }
    (spec.signals ?? []).forEach((signal, i) => {
      if (!SINK_SIGNALS[spec.type].supported.includes(signal)) {
        ctx.addIssue({ code: "custom", path: ["signals", i], message: `a ${spec.type} sink cannot receive ${signal}` });
      }
    });
    if (spec.format !== undefined && spec.type !== "http-json") {
      ctx.addIssue({ code: "custom", path: ["format"], message: "only for http-json sinks" });
    }
    if (spec.syslog !== undefined && spec.type !== "syslog") {
      ctx.addIssue({ code: "custom", path: ["syslog"], message: "only for syslog sinks" });
    }
    if (spec.type === "syslog" && Object.keys(spec.headers ?? {}).length > 0) {
      ctx.addIssue({ code: "custom", path: ["headers"], message: "a syslog sink has no headers" });
    }
    if (spec.targetRef !== undefined && spec.targetRefs !== undefined) {
      ctx.addIssue({ code: "custom", path: ["targetRefs"], message: "only one of targetRef, targetRefs may be set" });
    }
  });
export type TelemetrySinkSpec = z.infer<typeof TelemetrySinkSpec>;
