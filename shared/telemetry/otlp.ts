// OTLP/HTTP JSON encoders for traces (`/v1/traces`) and logs (`/v1/logs`), per the OTLP JSON rules.
import type { AccessLogEntry, LogLevel } from "./access-log";
import { msToUnixNano, type AttributeValue, type SpanRecord } from "./span";

export const OTLP_TRACES_PATH = "/v1/traces";
export const OTLP_LOGS_PATH = "/v1/logs";
export const OTLP_CONTENT_TYPE = "application/json";

/*
 * OTLP JSON is the proto3 JSON mapping with OTLP's exceptions: field names in lowerCamelCase, enums
 * as integers, 64-bit integers as decimal strings, and trace/span ids as lower-case hex (not base64).
 */
export type OtlpAnyValue =
  { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpResource {
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
}
export interface OtlpScope {
  name: string;
  version?: string;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  /** W3C flags in bits 0–7, plus 0x100 (remote-ness known) and 0x200 (parent is remote). */
  flags: number;
  name: string;
  /** SPAN_KIND_SERVER = 2, SPAN_KIND_CLIENT = 3. */
  kind: 2 | 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  events: [];
  droppedEventsCount: number;
  /** STATUS_CODE_UNSET = 0, OK = 1, ERROR = 2. */
  status: { code: 0 | 1 | 2; message?: string };
  links: [];
  droppedLinksCount: number;
}
export interface OtlpTracesRequest {
  resourceSpans: { resource: OtlpResource; scopeSpans: { scope: OtlpScope; spans: OtlpSpan[] }[] }[];
}
export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: OtlpAnyValue;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  traceId?: string;
  spanId?: string;
}
export interface OtlpLogsRequest {
  resourceLogs: { resource: OtlpResource; scopeLogs: { scope: OtlpScope; logRecords: OtlpLogRecord[] }[] }[];
}

export const DEFAULT_SCOPE: OtlpScope = { name: "flaremesh-proxy" };

export function otlpValue(value: AttributeValue): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

export function otlpAttributes(attributes: Readonly<Record<string, AttributeValue>>): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: otlpValue(value) }));
}

function resourceOf(service: { name: string; namespace: string; version?: string | null }): OtlpResource {
  const attributes: Record<string, AttributeValue> = {
    "service.name": service.name,
    "service.namespace": service.namespace,
  };
  if (service.version) attributes["service.version"] = service.version;
  return { attributes: otlpAttributes(attributes), droppedAttributesCount: 0 };
}

/** Groups items by resource, in first-seen order (one resourceSpans/resourceLogs entry per service). */
function byService<T>(
  items: readonly T[],
  service: (item: T) => { name: string; namespace: string; version?: string | null },
) {
  const groups = new Map<string, { resource: OtlpResource; items: T[] }>();
  for (const item of items) {
    const s = service(item);
    const key = JSON.stringify([s.name, s.namespace, s.version ?? null]);
    const group = groups.get(key) ?? { resource: resourceOf(s), items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

export function otlpSpan(span: SpanRecord): OtlpSpan {
  const out: OtlpSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    flags: (span.flags & 0xff) | FLAG_HAS_IS_REMOTE | (span.parentIsRemote ? FLAG_IS_REMOTE : 0),
    name: span.name,
    kind: span.kind === "server" ? 2 : 3,
    startTimeUnixNano: msToUnixNano(span.startMs),
    endTimeUnixNano: msToUnixNano(span.startMs + span.durationMs),
    attributes: otlpAttributes(span.attributes),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    status: { code: STATUS_CODE[span.status.code], ...(span.status.message ? { message: span.status.message } : {}) },
    links: [],
    droppedLinksCount: 0,
  };
  if (span.parentSpanId) out.parentSpanId = span.parentSpanId;
  if (span.traceState) out.traceState = span.traceState;
  return out;
}

/** The body of `POST {endpoint}/v1/traces`. Per batch. */
export function encodeOtlpTraces(spans: readonly SpanRecord[], scope: OtlpScope = DEFAULT_SCOPE): OtlpTracesRequest {
  return {
    resourceSpans: byService(spans, (s) => s.service).map((group) => ({
      resource: group.resource,
      scopeSpans: [{ scope, spans: group.items.map(otlpSpan) }],
    })),
  };
}

/** SeverityNumber INFO = 9, WARN = 13, ERROR = 17 (the first of each range). */
const SEVERITY: Record<LogLevel, { number: number; text: string }> = {
  info: { number: 9, text: "INFO" },
  warn: { number: 13, text: "WARN" },
  error: { number: 17, text: "ERROR" },
};

/** One access log entry as an OTLP log record: the JSON line as body, key fields as attributes. */
export function otlpLogRecord(entry: AccessLogEntry, observedMs?: number): OtlpLogRecord {
  const timeMs = Date.parse(entry.time);
  const attributes: Record<string, AttributeValue> = {
    "event.name": "flaremesh.access_log",
    "http.request.method": entry.method,
    "url.path": entry.path.split("?")[0] ?? "/",
    "http.response.status_code": entry.status,
    "flaremesh.response_flags": entry.response_flags,
  };
  if (entry.route) attributes["flaremesh.route.id"] = entry.route;
  const record: OtlpLogRecord = {
    timeUnixNano: msToUnixNano(timeMs),
    observedTimeUnixNano: msToUnixNano(observedMs ?? timeMs),
    severityNumber: SEVERITY[entry.level].number,
    severityText: SEVERITY[entry.level].text,
    body: { stringValue: JSON.stringify(entry) },
    attributes: otlpAttributes(attributes),
    droppedAttributesCount: 0,
  };
  if (/^[0-9a-f]{32}$/.test(entry.trace_id)) record.traceId = entry.trace_id;
  if (/^[0-9a-f]{16}$/.test(entry.span_id)) record.spanId = entry.span_id;
  return record;
}

/** The body of `POST {endpoint}/v1/logs`; resource = the destination service. Per batch. */
export function encodeOtlpLogs(
  entries: readonly AccessLogEntry[],
  options: { scope?: OtlpScope; observedMs?: number } = {},
): OtlpLogsRequest {
  return {
    resourceLogs: byService(entries, (e) => ({
      name: e.destination.service,
      namespace: e.destination.namespace,
      version: e.destination.version,
    })).map((group) => ({
      resource: group.resource,
      scopeLogs: [
        {
          scope: options.scope ?? DEFAULT_SCOPE,
          logRecords: group.items.map((e) => otlpLogRecord(e, options.observedMs)),
        },
      ],
    })),
  };
}
