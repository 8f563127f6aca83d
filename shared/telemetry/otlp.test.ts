import { JsonLogsSerializer, JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildAccessLog, type AccessLogEntry } from "./access-log";
import { encodeOtlpLogs, encodeOtlpTraces, otlpValue } from "./otlp";
import { buildHttpSpan, msToUnixNano, type SpanRecord } from "./span";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";

const server = buildHttpSpan({
  ctx: { traceId: T, spanId: "1112131415161718", parentSpanId: "00f067aa0ba902b7", flags: 1, tracestate: ["rojo=1"] },
  kind: "server",
  startMs: 1_700_000_000_123.5,
  durationMs: 42.25,
  method: "GET",
  scheme: "http",
  target: "/reviews/0?token=abc",
  serverAddress: "reviews.localhost",
  serverPort: 8787,
  httpRoute: "/reviews/*",
  status: 503,
  protocolVersion: "1.1",
  userAgent: "curl/8.5.0",
  errorType: "upstream_unavailable",
  service: { name: "reviews", namespace: "default", version: "v2" },
  mesh: { routeId: "HTTPRoute/default/reviews#rule0", responseFlags: "UF,URX", attempts: 3 },
});
const client = buildHttpSpan({
  ctx: { traceId: T, spanId: "2122232425262728", parentSpanId: "1112131415161718", flags: 1 },
  kind: "client",
  startMs: 1_700_000_000_124,
  durationMs: 10,
  method: "GET",
  scheme: "https",
  target: "/reviews/0",
  serverAddress: "reviews-v2.internal",
  status: 503,
  resendCount: 2,
  service: { name: "reviews", namespace: "default", version: "v2" },
});
const other = buildHttpSpan({
  ctx: { traceId: T, spanId: "3132333435363738", flags: 0 },
  kind: "server",
  startMs: 1_700_000_000_000,
  durationMs: 1.5,
  method: "PURGE",
  scheme: "http",
  target: "/",
  serverAddress: "ratings.localhost",
  status: 200,
  service: { name: "ratings", namespace: "bookinfo" },
});

/** The same spans as the OpenTelemetry SDK's ReadableSpan, for the official serializer. */
function asSdkSpans(spans: SpanRecord[]) {
  const resources = new Map<string, { attributes: Record<string, string> }>();
  const hr = (ms: number): [number, number] => {
    const whole = Math.floor(ms);
    return [Math.floor(whole / 1000), (whole % 1000) * 1e6 + Math.round((ms - whole) * 1e6)];
  };
  return spans.map((s) => {
    const attrs: Record<string, string> = { "service.name": s.service.name, "service.namespace": s.service.namespace };
    if (s.service.version) attrs["service.version"] = s.service.version;
    const key = JSON.stringify(attrs);
    if (!resources.has(key)) resources.set(key, { attributes: attrs });
    return {
      name: s.name,
      kind: s.kind === "server" ? 1 : 2, // @opentelemetry/api SpanKind.SERVER / CLIENT
      spanContext: () => ({
        traceId: s.traceId,
        spanId: s.spanId,
        traceFlags: s.flags,
        traceState: s.traceState ? { serialize: () => s.traceState } : undefined,
      }),
      parentSpanContext: s.parentSpanId
        ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: s.flags, isRemote: s.parentIsRemote }
        : undefined,
      startTime: hr(s.startMs),
      endTime: hr(s.startMs + s.durationMs),
      status: { code: { unset: 0, ok: 1, error: 2 }[s.status.code], message: s.status.message },
      attributes: s.attributes,
      links: [],
      events: [],
      resource: resources.get(key),
      instrumentationScope: { name: "flaremesh-proxy" },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
}

/** The official serializer writes int64 as JSON numbers; proto3 JSON prefers strings (both are valid). */
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

// A strict schema of the OTLP JSON shapes used (unknown fields rejected), written from the proto files.
const Hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
const Nanos = z.string().regex(/^\d+$/);
const AnyValue = z.union([
  z.strictObject({ stringValue: z.string() }),
  z.strictObject({ intValue: z.string().regex(/^-?\d+$/) }),
  z.strictObject({ doubleValue: z.number() }),
  z.strictObject({ boolValue: z.boolean() }),
]);
const KeyValue = z.strictObject({ key: z.string().min(1), value: AnyValue });
const Resource = z.strictObject({ attributes: z.array(KeyValue), droppedAttributesCount: z.number().int() });
const Scope = z.strictObject({ name: z.string(), version: z.string().optional() });
const Span = z.strictObject({
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
const TracesRequest = z.strictObject({
  resourceSpans: z.array(
    z.strictObject({ resource: Resource, scopeSpans: z.array(z.strictObject({ scope: Scope, spans: z.array(Span) })) }),
  ),
});
const LogRecord = z.strictObject({
  timeUnixNano: Nanos,
  observedTimeUnixNano: Nanos,
  severityNumber: z.number().int().min(1).max(24),
  severityText: z.string(),
  body: AnyValue,
  attributes: z.array(KeyValue),
  droppedAttributesCount: z.number().int(),
  traceId: Hex(32).optional(),
  spanId: Hex(16).optional(),
});
const LogsRequest = z.strictObject({
  resourceLogs: z.array(
    z.strictObject({
      resource: Resource,
      scopeLogs: z.array(z.strictObject({ scope: Scope, logRecords: z.array(LogRecord) })),
    }),
  ),
});

describe("encodeOtlpTraces", () => {
  const spans = [server, client, other];
  const ours = JSON.parse(JSON.stringify(encodeOtlpTraces(spans)));

  it("equals what OpenTelemetry's own JSON serializer writes for the same spans", () => {
    const official = JSON.parse(
      new TextDecoder().decode(JsonTraceSerializer.serializeRequest(asSdkSpans(spans) as never)!),
    );
    expect(ours).toEqual(intsAsStrings(official));
  });

  it("passes a strict OTLP JSON schema", () => {
    expect(TracesRequest.safeParse(ours).error?.issues ?? []).toEqual([]);
  });

  it("links the attempt to its hop and groups spans by service", () => {
    const [reviews, ratings] = ours.resourceSpans;
    const [s, c] = reviews.scopeSpans[0].spans;
    expect(c.parentSpanId).toBe(s.spanId);
    expect([s.kind, c.kind]).toEqual([2, 3]);
    expect(s.flags).toBe(0x301); // sampled, parent known to be remote
    expect(c.flags).toBe(0x101); // sampled, parent local
    expect(ratings.resource.attributes).toEqual([
      { key: "service.name", value: { stringValue: "ratings" } },
      { key: "service.namespace", value: { stringValue: "bookinfo" } },
    ]);
  });

  it("writes times as exact unix nanosecond strings", () => {
    const s = ours.resourceSpans[0].scopeSpans[0].spans[0];
    expect(s.startTimeUnixNano).toBe("1700000000123500000");
    expect(s.endTimeUnixNano).toBe("1700000000165750000");
    expect(msToUnixNano(1_700_000_000_000)).toBe("1700000000000000000");
    expect(msToUnixNano(-5)).toBe("0");
  });

  it.each([
    ["a string", "x", { stringValue: "x" }],
    ["an integer (int64 → string)", 503, { intValue: "503" }],
    ["a fraction", 1.5, { doubleValue: 1.5 }],
    ["a boolean", false, { boolValue: false }],
  ])("encodes %s", (_name, value, expected) => {
    expect(otlpValue(value)).toEqual(expected);
  });
});

describe("encodeOtlpLogs", () => {
  const entries: AccessLogEntry[] = [
    buildAccessLog({
      startMs: 1_700_000_000_123,
      durationMs: 5,
      requestId: "r1",
      traceId: T,
      spanId: "1112131415161718",
      source: {},
      destination: { service: "reviews", namespace: "default", version: "v1" },
      method: "GET",
      authority: "reviews.localhost",
      path: "/reviews/0?x=1",
      protocol: "HTTP/1.1",
      status: 200,
      attempts: 1,
      flags: [],
    }),
  ];
  entries.push({
    ...entries[0]!,
    level: "error",
    status: 503,
    route: "HTTPRoute/default/reviews#rule0",
    request_id: "r2",
  });
  const ours = JSON.parse(JSON.stringify(encodeOtlpLogs(entries, { observedMs: 1_700_000_000_200 })));

  it("equals what OpenTelemetry's own JSON serializer writes for the same records", () => {
    const resource = {
      attributes: { "service.name": "reviews", "service.namespace": "default", "service.version": "v1" },
    };
    const hr = (ms: number) => [Math.floor(ms / 1000), (ms % 1000) * 1e6];
    const scope = { name: "flaremesh-proxy" }; // the SDK groups records by scope object identity
    const sdk = ours.resourceLogs[0].scopeLogs[0].logRecords.map((r: { body: { stringValue: string } }, i: number) => {
      const e = entries[i]!;
      const attributes: Record<string, unknown> = {
        "event.name": "flaremesh.access_log",
        "http.request.method": e.method,
        "url.path": "/reviews/0",
        "http.response.status_code": e.status,
        "flaremesh.response_flags": e.response_flags,
      };
      if (e.route) attributes["flaremesh.route.id"] = e.route;
      return {
        hrTime: hr(Date.parse(e.time)),
        hrTimeObserved: hr(1_700_000_000_200),
        severityNumber: e.level === "error" ? 17 : 9,
        severityText: e.level === "error" ? "ERROR" : "INFO",
        body: r.body.stringValue,
        attributes,
        droppedAttributesCount: 0,
        spanContext: { traceId: e.trace_id, spanId: e.span_id },
        resource,
        instrumentationScope: scope,
      };
    });
    const official = JSON.parse(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(sdk as never)!));
    expect(ours).toEqual(intsAsStrings(official));
  });

  it("passes a strict OTLP JSON schema, with the access log as the body", () => {
    expect(LogsRequest.safeParse(ours).error?.issues ?? []).toEqual([]);
    const record = ours.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(JSON.parse(record.body.stringValue)).toEqual(entries[0]);
    expect(record.timeUnixNano).toBe("1700000000123000000");
  });
});
