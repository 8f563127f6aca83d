// The access log: one JSON object per request, Envoy-style flags, no secrets.
import { flagsToString, type ResponseFlag } from "./response-flags";
import { endpointHost, sanitizePath } from "./redact";

export type LogLevel = "info" | "warn" | "error";

/** What the proxy knows about a finished request (raw: this module sanitises). */
export interface AccessLogInput {
  /** Request start, ms since the epoch. */
  startMs: number;
  durationMs: number;
  requestId: string;
  traceId: string;
  spanId: string;
  source: { principal?: string; service?: string; namespace?: string };
  destination: { service: string; namespace: string; version?: string; principal?: string };
  /** Route id from the snapshot (`HTTPRoute/default/reviews#rule0`), when one matched. */
  routeId?: string;
  method: string;
  authority: string;
  /** Path and query as received; secret query values are redacted here. */
  path: string;
  /** `HTTP/1.1`, `HTTP/2`, `websocket`, … */
  protocol: string;
  /** Status sent to the client; 0 when the client went away first. */
  status: number;
  /** The endpoint that answered (last attempt): snapshot id and its URL or Worker name. */
  upstream?: { id: string; url?: string; worker?: string };
  /** Tries made (1 = no retry); 0 when no upstream was called. */
  attempts: number;
  flags: Iterable<ResponseFlag>;
  /** Name of the AuthorizationPolicy that denied the request. */
  authzPolicy?: string;
  /** Mesh error code when the mesh produced the response. */
  errorCode?: string;
  userAgent?: string;
  /** Query keys to keep even though they look secret. */
  allowQueryKeys?: readonly string[];
}

/** The wire shape (snake_case, as Envoy/Istio JSON access logs). */
export interface AccessLogEntry {
  time: string;
  level: LogLevel;
  request_id: string;
  trace_id: string;
  span_id: string;
  source: { principal: string | null; service: string | null; namespace: string | null };
  destination: { service: string; namespace: string; version: string | null; principal: string | null };
  route: string | null;
  method: string;
  authority: string;
  path: string;
  protocol: string;
  status: number;
  duration_ms: number;
  upstream: { id: string; host: string } | null;
  attempts: number;
  response_flags: string;
  authz_policy: string | null;
  error_code: string | null;
  user_agent: string | null;
}

/** Longest free-text field kept (authority, user agent, ids). */
const MAX_FIELD = 512;

function cut(text: string): string {
  return text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text;
}

/** error for 5xx and for no response at all, warn for 4xx, else info (also the Loki/syslog severity). */
export function levelForStatus(status: number): LogLevel {
  if (status >= 500 || status === 0) return "error";
  if (status >= 400) return "warn";
  return "info";
}

/** Builds the entry for one finished request. Per request (after the response is sent). */
export function buildAccessLog(input: AccessLogInput): AccessLogEntry {
  const upstreamTarget = input.upstream?.url ?? input.upstream?.worker;
  return {
    time: new Date(Number.isFinite(input.startMs) ? input.startMs : 0).toISOString(),
    level: levelForStatus(input.status),
    request_id: cut(input.requestId),
    trace_id: input.traceId,
    span_id: input.spanId,
    source: {
      principal: input.source.principal ?? null,
      service: input.source.service ?? null,
      namespace: input.source.namespace ?? null,
    },
    destination: {
      service: input.destination.service,
      namespace: input.destination.namespace,
      version: input.destination.version ?? null,
      principal: input.destination.principal ?? null,
    },
    route: input.routeId ?? null,
    method: cut(input.method),
    authority: cut(input.authority),
    path: sanitizePath(input.path, input.allowQueryKeys ? { allow: input.allowQueryKeys } : {}),
    protocol: input.protocol,
    status: input.status,
    // Whole microseconds are enough and keep the JSON short.
    duration_ms: Math.max(0, Math.round(input.durationMs * 1000) / 1000),
    upstream: input.upstream
      ? { id: input.upstream.id, host: upstreamTarget ? endpointHost(upstreamTarget) : input.upstream.id }
      : null,
    attempts: input.attempts,
    response_flags: flagsToString(input.flags),
    authz_policy: input.authzPolicy ?? null,
    error_code: input.errorCode ?? null,
    user_agent: input.userAgent === undefined ? null : cut(input.userAgent),
  };
}

/** The entry as one line of JSON (for syslog MSG, Loki lines, NDJSON). */
export function accessLogLine(entry: AccessLogEntry): string {
  return JSON.stringify(entry);
}
