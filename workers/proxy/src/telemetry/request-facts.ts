// What a finished request leaves for its access log and span: references captured on the request path, turned into
// the flat RequestRecord (and its JSON) later, a batch at a time, by the background drain (ship.ts).
import type { EndpointModel, ServiceModel } from "../../../../shared/model/snapshot";
import { sanitizePath, type TraceContext } from "../../../../shared/telemetry/index";
import type { RequestRecord } from "../../../../shared/telemetry/request-record";
import type { CallerIdentity } from "../context";
import type { RequestUrl } from "../http/request-url";

/**
 * Per request, only references and numbers the request already has: no strings are built and nothing is
 * serialised until the drain. In a workerd under load that matters more than the work's size: the same record
 * building and JSON cost a small fraction when run for 100 records in a row (warm caches) than once between the
 * stages of every request (docs/benchmarks.md, optimisation 14).
 */
export interface RequestFacts {
  startMs: number;
  durationMs: number;
  requestId: string;
  trace: TraceContext;
  principal: string | null;
  caller: CallerIdentity | null;
  destination: ServiceModel | null;
  endpoint: EndpointModel | null;
  trustDomain: string;
  routeId: string | null;
  method: string;
  url: Pick<RequestUrl, "protocol" | "host" | "hostname" | "port" | "pathname" | "search">;
  websocket: boolean;
  userAgent: string | null;
  status: number;
  upstreamId: string | null;
  attempts: number;
  responseFlags: string;
  authzPolicy: string | null;
  errorCode: string | null;
}

/** Longest free-text field a record carries (the access log keeps 512 characters of it). */
const MAX_RECORD_FIELD = 1_024;
function cut(text: string): string {
  return text.length > MAX_RECORD_FIELD ? text.slice(0, MAX_RECORD_FIELD) : text;
}

/** The flat record the telemetry Worker derives the access-log entry and the span from. */
export function toRequestRecord(f: RequestFacts): RequestRecord {
  const { trace, destination, endpoint, url } = f;
  const version = endpoint?.labels?.version;
  return {
    startMs: f.startMs,
    durationMs: f.durationMs,
    requestId: f.requestId,
    traceId: trace.traceId,
    spanId: trace.spanId,
    parentSpanId: trace.parentSpanId ?? null,
    traceFlags: trace.flags,
    tracestate: trace.tracestate && trace.tracestate.length > 0 ? trace.tracestate : null,
    sourcePrincipal: f.principal,
    sourceService: f.caller?.service ?? null,
    sourceNamespace: f.caller?.namespace ?? null,
    destinationService: destination?.name ?? "unknown",
    destinationNamespace: destination?.namespace ?? "unknown",
    destinationVersion: version ? version : null,
    destinationPrincipal: destination ? `${f.trustDomain}/ns/${destination.namespace}/sa/${destination.name}` : null,
    routeId: f.routeId,
    method: cut(f.method),
    scheme: url.protocol === "https:" ? "https" : "http",
    authority: cut(url.host),
    hostname: cut(url.hostname),
    port: url.port ? Number(url.port) : null,
    // Secret query values are redacted before the record leaves the proxy.
    path: sanitizePath(`${url.pathname}${url.search}`),
    protocol: f.websocket ? "websocket" : "HTTP/1.1",
    status: f.status,
    upstreamId: f.upstreamId,
    upstreamChosen: endpoint !== null,
    upstreamUrl: endpoint?.url ?? null,
    upstreamWorker: endpoint?.worker ?? null,
    attempts: f.attempts,
    responseFlags: f.responseFlags,
    authzPolicy: f.authzPolicy,
    errorCode: f.errorCode ? cut(f.errorCode) : null,
    userAgent: f.userAgent === null ? null : cut(f.userAgent),
  };
}
