// Zipkin v2 JSON encoder (`POST /api/v2/spans`: a JSON array of spans).
import type { SpanRecord } from "./span";

export const ZIPKIN_CONTENT_TYPE = "application/json";

export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind: "SERVER" | "CLIENT";
  /** Epoch microseconds. */
  timestamp: number;
  /** Microseconds, at least 1 (Zipkin rounds shorter durations up). */
  duration: number;
  localEndpoint: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  /** Zipkin tags are strings only. */
  tags: Record<string, string>;
  /** Never set: each mesh hop has its own span id, it does not join its caller's span. */
  shared?: boolean;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function remoteEndpoint(remote: NonNullable<SpanRecord["remote"]>): ZipkinEndpoint | undefined {
  const out: ZipkinEndpoint = {};
  if (remote.service) out.serviceName = remote.service.toLowerCase();
  // Zipkin endpoints carry IPs only; a host name stays in the `server.address` tag.
  const address = remote.address?.replace(/^\[|\]$/g, "");
  if (address && IPV4.test(address)) out.ipv4 = address;
  else if (address && address.includes(":") && /^[0-9a-fA-F:.]+$/.test(address)) out.ipv6 = address.toLowerCase();
  if (remote.port !== undefined && remote.port > 0 && remote.port <= 65535) out.port = remote.port;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A 128-bit id whose high half is zero came from a 64-bit system: Zipkin stores it in 16 hex. */
function zipkinTraceId(traceId: string): string {
  return traceId.startsWith("0000000000000000") ? traceId.slice(16) : traceId;
}

export function zipkinSpan(span: SpanRecord): ZipkinSpan {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(span.attributes)) tags[key] = String(value);
  if (span.status.code === "error") {
    // Zipkin marks failed spans by the presence of an `error` tag; OpenTelemetry's exporter does the same.
    tags["otel.status_code"] = "ERROR";
    tags.error = span.status.message ?? String(span.attributes["error.type"] ?? "");
  }
  const out: ZipkinSpan = {
    traceId: zipkinTraceId(span.traceId),
    id: span.spanId,
    name: span.name.toLowerCase(), // Zipkin's model lower-cases names and service names
    kind: span.kind === "server" ? "SERVER" : "CLIENT",
    timestamp: Math.round(span.startMs * 1000),
    duration: Math.max(1, Math.round(span.durationMs * 1000)),
    localEndpoint: { serviceName: `${span.service.name}.${span.service.namespace}`.toLowerCase() },
    tags,
  };
  if (span.parentSpanId) out.parentId = span.parentSpanId;
  const remote = span.remote ? remoteEndpoint(span.remote) : undefined;
  if (remote) out.remoteEndpoint = remote;
  return out;
}

/** The body for a Zipkin v2 collector. Per batch. */
export function encodeZipkin(spans: readonly SpanRecord[]): ZipkinSpan[] {
  return spans.map(zipkinSpan);
}
