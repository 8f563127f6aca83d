// flaremesh.dev/v1alpha1 TelemetrySink: where access logs, spans and metrics are shipped.
import { z } from "zod";
import { duration, originUrlError, percentage, positiveInt, stringMap, targetRef } from "./common";

export const SINK_TYPES = ["loki", "otlp-http", "zipkin", "http-json", "syslog"] as const;

/** Problem with a sink endpoint for its type, or undefined. Syslog takes `tcp://host:port` / `tls://host:port`. */
export function sinkEndpointError(type: (typeof SINK_TYPES)[number], endpoint: string): string | undefined {
  if (type !== "syslog") return originUrlError(endpoint);
  const m = /^(tcp|tls):\/\/([^/?#@\s]+):(\d{1,5})$/.exec(endpoint);
  if (m === null) return "must be tcp://host:port or tls://host:port";
  const portNumber = Number(m[3]);
  return portNumber >= 1 && portNumber <= 65535 ? undefined : "port must be 1–65535";
}

export const TelemetrySinkSpec = z
  .strictObject({
    type: z.enum(SINK_TYPES),
    endpoint: z.string().min(1),
    headers: stringMap.optional(),
    samplingPercent: percentage.optional(),
    batch: z.strictObject({ maxEntries: positiveInt.max(10_000).optional(), maxDelay: duration.optional() }).optional(),
    targetRef: targetRef.optional(),
    targetRefs: z.array(targetRef).optional(),
  })
  .superRefine((spec, ctx) => {
    const problem = sinkEndpointError(spec.type, spec.endpoint);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["endpoint"], message: problem });
    if (spec.targetRef !== undefined && spec.targetRefs !== undefined) {
      ctx.addIssue({ code: "custom", path: ["targetRefs"], message: "only one of targetRef, targetRefs may be set" });
    }
  });
export type TelemetrySinkSpec = z.infer<typeof TelemetrySinkSpec>;
