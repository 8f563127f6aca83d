// Strict checks of what sinks receive: OTLP/HTTP JSON (cross-checked with OpenTelemetry's serializer), Zipkin v2, Loki push.
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import * as z from "zod";

const Hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
const Nanos = z.string().regex(/^\d{19}$/);
const AnyValue = z.union([
  z.strictObject({ stringValue: z.string() }),
  z.strictObject({ intValue: z.string().regex(/^-?\d+$/) }),
  z.strictObject({ doubleValue: z.number() }),
  z.strictObject({ boolValue: z.boolean() }),
]);
const KeyValue = z.strictObject({ key: z.string().min(1), value: AnyValue });
const Resource = z.strictObject({ attributes: z.array(KeyValue), droppedAttributesCount: z.number().int() });
const Scope = z.strictObject({ name: z.string(), version: z.string().optional() });

/** OTLP JSON (opentelemetry-proto, JSON mapping with hex ids), unknown fields rejected. */
export const OtlpSpan = z.strictObject({
  traceId: Hex(32),
  spanId: Hex(16),
  parentSpanId: Hex(16).optional(),
  traceState: z.string().optional(),
  flags: z.number().int().min(0).max(0x3ff),
  name: z.string().min(1),
  kind: z.union([z.literal(2), z.literal(3)]),
  startTimeUnixNano: Nanos,
  endTimeUnixNano: Nanos,
  attributes: z.array(KeyValue),
  droppedAttributesCount: z.number().int(),
  events: z.array(z.never()),
  droppedEventsCount: z.number().int(),
  status: z.strictObject({ code: z.union([z.literal(0), z.literal(1), z.literal(2)]), message: z.string().optional() }),
  links: z.array(z.never()),
  droppedLinksCount: z.number().int(),
});
export const OtlpTraces = z.strictObject({
  resourceSpans: z
    .array(
      z.strictObject({
        resource: Resource,
        scopeSpans: z.array(z.strictObject({ scope: Scope, spans: z.array(OtlpSpan).min(1) })).min(1),
      }),
    )
    .min(1),
});
export const OtlpLogs = z.strictObject({
  resourceLogs: z
    .array(
      z.strictObject({
        resource: Resource,
        scopeLogs: z
          .array(
            z.strictObject({
              scope: Scope,
              logRecords: z
                .array(
                  z.strictObject({
                    timeUnixNano: Nanos,
                    observedTimeUnixNano: Nanos,
                    severityNumber: z.number().int().min(1).max(24),
                    severityText: z.string(),
                    body: AnyValue,
                    attributes: z.array(KeyValue),
                    droppedAttributesCount: z.number().int(),
                    traceId: Hex(32).optional(),
                    spanId: Hex(16).optional(),
                  }),
                )
                .min(1),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type OtlpTraces = z.infer<typeof OtlpTraces>;

function anyValue(v: z.infer<typeof AnyValue>): unknown {
  if ("stringValue" in v) return v.stringValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return v.doubleValue;
  return v.boolValue;
}

const hrTime = (nanos: string): [number, number] => {
  const n = BigInt(nanos);
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
};

/**
 * Rebuilds the SDK's ReadableSpans from a received request and serializes them with OpenTelemetry's own
 * JSON serializer: a payload that is exactly what an official exporter would send comes back unchanged.
 */
export function reserializeOtlpTraces(request: OtlpTraces): unknown {
  const spans = request.resourceSpans.flatMap((rs) => {
    const resource = {
      attributes: Object.fromEntries(rs.resource.attributes.map((a) => [a.key, anyValue(a.value)])),
    };
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        name: s.name,
        kind: s.kind - 1, // OTLP SERVER=2/CLIENT=3 ↔ @opentelemetry/api SERVER=1/CLIENT=2
        spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: s.flags & 0xff }),
        parentSpanContext: s.parentSpanId
          ? {
              traceId: s.traceId,
              spanId: s.parentSpanId,
              traceFlags: s.flags & 0xff,
              isRemote: (s.flags & 0x200) !== 0,
            }
          : undefined,
        startTime: hrTime(s.startTimeUnixNano),
        endTime: hrTime(s.endTimeUnixNano),
        status: s.status,
        attributes: Object.fromEntries(s.attributes.map((a) => [a.key, anyValue(a.value)])),
        links: [],
        events: [],
        resource,
        instrumentationScope: ss.scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      })),
    );
  });
  const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans as never)!));
  return intsAsStrings(json);
}

/** The official serializer writes int64 as JSON numbers; proto3 JSON also allows strings (what we send). */
function intsAsStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(intsAsStrings);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === "intValue" && typeof v === "number" ? String(v) : intsAsStrings(v),
      ]),
    );
  }
  return value;
}

/** Zipkin v2 span (zipkin2-api.yaml), unknown fields rejected. */
const ZipkinEndpoint = z.strictObject({
  serviceName: z.string().optional(),
  ipv4: z.string().optional(),
  ipv6: z.string().optional(),
  port: z.number().int().optional(),
});
export const ZipkinSpans = z
  .array(
    z.strictObject({
      traceId: z.string().regex(/^([0-9a-f]{16}|[0-9a-f]{32})$/),
      id: Hex(16),
      parentId: Hex(16).optional(),
      name: z.string(),
      kind: z.enum(["CLIENT", "SERVER", "PRODUCER", "CONSUMER"]),
      timestamp: z.number().int().positive(),
      duration: z.number().int().min(1),
      localEndpoint: ZipkinEndpoint,
      remoteEndpoint: ZipkinEndpoint.optional(),
      tags: z.record(z.string(), z.string()),
      shared: z.boolean().optional(),
      debug: z.boolean().optional(),
    }),
  )
  .min(1);
export type ZipkinSpans = z.infer<typeof ZipkinSpans>;

/** Loki push API JSON: streams of `[ns timestamp string, line]`. */
export const LokiPush = z.strictObject({
  streams: z
    .array(
      z.strictObject({
        stream: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string()),
        values: z.array(z.tuple([Nanos, z.string()])).min(1),
      }),
    )
    .min(1),
});
