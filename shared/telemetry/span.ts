// One span per proxy hop (and per upstream attempt), with OpenTelemetry HTTP semantic-convention attributes.
import { sanitizePath } from "./redact";
import type { TraceContext } from "./trace-context";

export type SpanKind = "server" | "client";
/** Integers become OTLP `intValue`, other numbers `doubleValue`; Zipkin tags stringify all. */
export type AttributeValue = string | number | boolean;

/** The encoder-neutral span: OTLP and Zipkin are both written from this. JSON-serializable. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** The parent span lives in another process (true for a hop continued from headers). */
  parentIsRemote?: boolean;
  traceState?: string;
  /** W3C trace flags (bit 0 = sampled). */
  flags: number;
  name: string;
  kind: SpanKind;
  /** Start, ms since the epoch (fractions allowed). */
  startMs: number;
  durationMs: number;
  status: { code: "unset" | "ok" | "error"; message?: string };
  attributes: Record<string, AttributeValue>;
  /** The service the span is reported for (OTLP resource, Zipkin localEndpoint). */
  service: { name: string; namespace: string; version?: string };
  /** The other side: the caller for a server span, the upstream for a client span. */
  remote?: { service?: string; address?: string; port?: number };
}

export interface HttpSpanInput {
  ctx: Pick<TraceContext, "traceId" | "spanId" | "parentSpanId" | "flags" | "tracestate">;
  kind: SpanKind;
  startMs: number;
  durationMs: number;
  method: string;
  scheme: "http" | "https";
  /** Path with query as received; only the path goes into `url.path` (queries may hold secrets). */
  target: string;
  serverAddress: string;
  serverPort?: number;
  /** Low-cardinality route template (`/reviews/*`), when known: names the span. */
  httpRoute?: string;
  /** Response status; 0 when there was none. */
  status: number;
  /** `1.1`, `2`. */
  protocolVersion?: string;
  userAgent?: string;
  /** Low-cardinality error class, e.g. the mesh error code `upstream_timeout`. */
  errorType?: string;
  /** Retry number of a client attempt (0 for the first try). */
  resendCount?: number;
  service: SpanRecord["service"];
  remote?: SpanRecord["remote"];
  /** Mesh facts, written as `flaremesh.*` attributes. */
  mesh?: { routeId?: string; responseFlags?: string; upstreamId?: string; attempts?: number };
}

/** The methods semantic conventions know; anything else is reported as `_OTHER`. */
const KNOWN_METHODS = new Set([
  "CONNECT",
  "DELETE",
  "GET",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "POST",
  "PUT",
  "TRACE",
  "QUERY",
]);

/**
 * Server spans fail on 5xx only (a 4xx is the client's error); client spans on any 4xx/5xx; both
 * when there was no response.
 */
function isError(kind: SpanKind, status: number): boolean {
  return status === 0 || status >= (kind === "server" ? 500 : 400);
}

/** Builds the span for one hop or attempt, named `{method} {route}` or `{method}`. Per request, sampled only. */
export function buildHttpSpan(input: HttpSpanInput): SpanRecord {
  const known = KNOWN_METHODS.has(input.method);
  const method = known ? input.method : "_OTHER";
  const path = sanitizePath(input.target).split("?")[0] ?? "/";
  const failed = isError(input.kind, input.status);
  const attributes: Record<string, AttributeValue> = {
    "http.request.method": method,
    "url.scheme": input.scheme,
    "url.path": path,
    "server.address": input.serverAddress,
  };
  if (!known) attributes["http.request.method_original"] = input.method;
  if (input.kind === "client") {
    const port = input.serverPort === undefined ? "" : `:${input.serverPort}`;
    attributes["url.full"] = `${input.scheme}://${input.serverAddress}${port}${sanitizePath(input.target)}`;
    if (input.resendCount) attributes["http.request.resend_count"] = input.resendCount;
  }
  if (input.serverPort !== undefined) attributes["server.port"] = input.serverPort;
  if (input.httpRoute) attributes["http.route"] = input.httpRoute;
  if (input.status > 0) attributes["http.response.status_code"] = input.status;
  if (input.protocolVersion) attributes["network.protocol.version"] = input.protocolVersion;
  if (input.userAgent) attributes["user_agent.original"] = input.userAgent;
  if (failed) attributes["error.type"] = input.errorType ?? (input.status > 0 ? String(input.status) : "_OTHER");
  if (input.mesh?.routeId) attributes["flaremesh.route.id"] = input.mesh.routeId;
  if (input.mesh?.responseFlags) attributes["flaremesh.response_flags"] = input.mesh.responseFlags;
  if (input.mesh?.upstreamId) attributes["flaremesh.upstream.id"] = input.mesh.upstreamId;
  if (input.mesh?.attempts !== undefined) attributes["flaremesh.attempts"] = input.mesh.attempts;

  const nameMethod = known ? input.method : "HTTP";
  const span: SpanRecord = {
    traceId: input.ctx.traceId,
    spanId: input.ctx.spanId,
    flags: input.ctx.flags,
    name: input.httpRoute ? `${nameMethod} ${input.httpRoute}` : nameMethod,
    kind: input.kind,
    startMs: input.startMs,
    durationMs: Math.max(0, input.durationMs),
    // Semantic conventions: leave the description empty when the status code explains the error.
    status: failed ? { code: "error", ...(input.errorType ? { message: input.errorType } : {}) } : { code: "unset" },
    attributes,
    service: input.service,
  };
  if (input.ctx.parentSpanId) {
    span.parentSpanId = input.ctx.parentSpanId;
    // A server span's parent came in headers; a client attempt's parent is this hop's server span.
    span.parentIsRemote = input.kind === "server";
  }
  if (input.ctx.tracestate && input.ctx.tracestate.length > 0) span.traceState = input.ctx.tracestate.join(",");
  if (input.remote) span.remote = input.remote;
  return span;
}

/** ms since the epoch → unix nanoseconds as a decimal string (exact: BigInt, no float overflow). */
export function msToUnixNano(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const whole = Math.floor(safe);
  const nanos = Math.round((safe - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(nanos)).toString();
}
