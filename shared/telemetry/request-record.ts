// One finished request as the proxy records it: flat facts, from which the shipper derives both the access-log
// entry and the span. The proxy builds one small object per request and queues half the bytes; formatting runs
// in the telemetry Worker, off the request path.
import { buildAccessLog, type AccessLogEntry } from "./access-log";
import { parseFlags } from "./response-flags";
import { buildHttpSpan, type SpanRecord } from "./span";

export interface RequestRecord {
  /** Request start, ms since the epoch. */
  startMs: number;
  durationMs: number;
  requestId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** W3C trace flags of this hop. */
  traceFlags: number;
  /** `tracestate` members passed through (W3C), or null. */
  tracestate: string[] | null;
  /** Verified caller principal (token, certificate or binding), or null when anonymous. */
  sourcePrincipal: string | null;
  /** The calling Worker, when the runtime vouches for it (service binding). */
  sourceService: string | null;
  sourceNamespace: string | null;
  destinationService: string;
  destinationNamespace: string;
  destinationVersion: string | null;
  /** Null when the request named no known service. */
  destinationPrincipal: string | null;
  routeId: string | null;
  method: string;
  scheme: "http" | "https";
  /** Host with port, as received. */
  authority: string;
  hostname: string;
  port: number | null;
  /** Path and query as received (sanitised when the entries are derived). */
  path: string;
  /** `HTTP/1.1` or `websocket`. */
  protocol: string;
  status: number;
  /** The endpoint the last try went to; also set when the try failed before its answer. */
  upstreamId: string | null;
  /** True when an endpoint was chosen for the last try: the access log then names it (id, URL or Worker). */
  upstreamChosen: boolean;
  upstreamUrl: string | null;
  upstreamWorker: string | null;
  attempts: number;
  /** Envoy-style flags, comma-joined (`-` for none). */
  responseFlags: string;
  /** The AuthorizationPolicy that denied the request (never in the response). */
  authzPolicy: string | null;
  errorCode: string | null;
  userAgent: string | null;
}

/** The access-log entry for a record (what Loki, syslog, OTLP logs and HTTP JSON sinks receive). */
export function accessLogFromRecord(r: RequestRecord): AccessLogEntry {
  const upstream =
    !r.upstreamChosen || r.upstreamId === null
      ? undefined
      : {
          id: r.upstreamId,
          ...(r.upstreamUrl !== null ? { url: r.upstreamUrl } : {}),
          ...(r.upstreamWorker !== null ? { worker: r.upstreamWorker } : {}),
        };
  return buildAccessLog({
    startMs: r.startMs,
    durationMs: r.durationMs,
    requestId: r.requestId,
    traceId: r.traceId,
    spanId: r.spanId,
    source: {
      ...(r.sourcePrincipal !== null ? { principal: r.sourcePrincipal } : {}),
      ...(r.sourceService !== null ? { service: r.sourceService } : {}),
      ...(r.sourceNamespace !== null ? { namespace: r.sourceNamespace } : {}),
    },
    destination: {
      service: r.destinationService,
      namespace: r.destinationNamespace,
      ...(r.destinationVersion !== null ? { version: r.destinationVersion } : {}),
      ...(r.destinationPrincipal !== null ? { principal: r.destinationPrincipal } : {}),
    },
    ...(r.routeId !== null ? { routeId: r.routeId } : {}),
    method: r.method,
    authority: r.authority,
    path: r.path,
    protocol: r.protocol,
    status: r.status,
    ...(upstream !== undefined ? { upstream } : {}),
    attempts: r.attempts,
    flags: parseFlags(r.responseFlags),
    ...(r.authzPolicy !== null ? { authzPolicy: r.authzPolicy } : {}),
    ...(r.errorCode !== null ? { errorCode: r.errorCode } : {}),
    ...(r.userAgent !== null ? { userAgent: r.userAgent } : {}),
  });
}

/** The hop's SERVER span for a record (what OTLP traces and Zipkin sinks receive). */
export function spanFromRecord(r: RequestRecord): SpanRecord {
  return buildHttpSpan({
    ctx: {
      traceId: r.traceId,
      spanId: r.spanId,
      ...(r.parentSpanId !== null ? { parentSpanId: r.parentSpanId } : {}),
      flags: r.traceFlags,
      ...(r.tracestate !== null ? { tracestate: r.tracestate } : {}),
    },
    kind: "server",
    startMs: r.startMs,
    durationMs: r.durationMs,
    method: r.method,
    scheme: r.scheme,
    target: r.path,
    serverAddress: r.hostname,
    ...(r.port !== null ? { serverPort: r.port } : {}),
    status: r.status,
    protocolVersion: "1.1",
    ...(r.userAgent !== null ? { userAgent: r.userAgent } : {}),
    ...(r.errorCode !== null ? { errorType: r.errorCode } : {}),
    service: {
      name: r.destinationService,
      namespace: r.destinationNamespace,
      ...(r.destinationVersion !== null ? { version: r.destinationVersion } : {}),
    },
    ...(r.sourceService !== null
      ? { remote: { service: `${r.sourceService}.${r.sourceNamespace ?? "default"}` } }
      : {}),
    mesh: {
      ...(r.routeId !== null ? { routeId: r.routeId } : {}),
      responseFlags: r.responseFlags,
      ...(r.upstreamId !== null ? { upstreamId: r.upstreamId } : {}),
      attempts: r.attempts,
    },
  });
}
