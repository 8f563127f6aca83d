// Observes every request the proxy answers, errors included: metrics, the access log entry, the hop's span.
import type { ProxyErrorCode } from "../../../../shared/errors";
import {
  RESPONSE_FLAGS,
  continueOrStart,
  flagForErrorCode,
  flagsToString,
  record,
  sampledForSink,
  setGauge,
  type RequestLabels,
  type ResponseFlag,
  type TraceContext,
} from "../../../../shared/telemetry/index";
import { currentConfig, currentProxyId } from "../config/cache";
import type { CompiledConfig } from "../config/compiled";
import type { CallerIdentity, ProxyContext } from "../context";
import type { ProxyEnv } from "../env";
import type { HeaderBag } from "../http/header-bag";
import { RequestUrl } from "../http/request-url";
import { randomBytes } from "../random-pool";
import { isolateTelemetry } from "./isolate";
import type { SendDelta } from "./metrics-flush";
import { revisionTelemetry, type RevisionTelemetry } from "./revision";
import type { RequestFacts } from "./request-facts";
import { ship, type TelemetryQueue } from "./ship";

export interface Observation {
  /** This hop's trace context: the caller's trace continued (W3C, then B3) or a new one. */
  readonly trace: TraceContext;
  /** Records the finished request; never throws and never waits. Per request. */
  finish(res: Response, ctx: ProxyContext | null): void;
}

interface TelemetryEnv {
  TELEMETRY_QUEUE?: TelemetryQueue;
  CONTROL: { reportMetrics?: SendDelta };
}

const KNOWN_FLAGS = new Set<string>(RESPONSE_FLAGS);
/** The last revision a request was served with: its sampling applies before a request's own config is known. */
let latest: { config: CompiledConfig; telemetry: RevisionTelemetry; firstServedMs: number } | null = null;

function noteConfig(config: CompiledConfig, nowMs: number): RevisionTelemetry {
  if (latest?.config === config) return latest.telemetry;
  const telemetry = revisionTelemetry(config);
  if (latest === null || latest.telemetry.revision !== telemetry.revision) {
    latest = { config, telemetry, firstServedMs: nowMs };
  } else latest = { ...latest, config, telemetry };
  return telemetry;
}

/** Gauges refreshed before each metrics flush: the revision this isolate serves and how late it got it. */
function setConfigGauges(): void {
  const proxy = currentProxyId();
  if (latest === null || proxy === null) return;
  const { registry } = isolateTelemetry();
  setGauge(registry, "mesh_proxy_config_revision", { proxy }, latest.telemetry.revision);
  const lagMs = latest.firstServedMs - latest.telemetry.createdMs;
  if (Number.isFinite(lagMs))
    setGauge(registry, "mesh_config_propagation_lag_seconds", { proxy }, Math.max(0, lagMs) / 1000);
}

/** Starts observing a request. `requestId` is the one the proxy forwards and returns. Per request. */
export function observe(
  request: Request,
  headers: HeaderBag,
  env: ProxyEnv,
  exec: ExecutionContext,
  caller: CallerIdentity | null,
  requestId: string,
): Observation {
  const startMs = Date.now();
  // The revision this request will most likely be served with decides sampling (one WeakMap lookup).
  const current = currentConfig();
  const samplingPercent =
    current !== null ? revisionTelemetry(current).samplingPercent : (latest?.telemetry.samplingPercent ?? 100);
  const trace = continueOrStart(headers.inboundReader, randomBytes, { samplingPercent });
  return {
    trace,
    finish(res, ctx) {
      try {
        finishRequest({ request, headers, env, exec, caller, requestId, startMs, trace }, res, ctx);
      } catch (err) {
        // Telemetry must never turn a good answer into an error.
        console.error("flaremesh-proxy: telemetry failed", err);
      }
    },
  };
}

interface Started {
  request: Request;
  headers: HeaderBag;
  env: ProxyEnv;
  exec: ExecutionContext;
  caller: CallerIdentity | null;
  requestId: string;
  startMs: number;
  trace: TraceContext;
}

function finishRequest(s: Started, res: Response, ctx: ProxyContext | null): void {
  const endMs = Date.now();
  const durationMs = Math.max(0, endMs - s.startMs);
  const config = ctx?.config ?? latest?.config ?? null;
  const revision = config === null ? null : noteConfig(config, endMs);
  const errorCode = res.headers.get("x-mesh-error");
  const flags = responseFlags(ctx, errorCode);
  const flagText = flagsToString(flags);
  const url = ctx?.url ?? new RequestUrl(s.request.url);
  const destination = ctx?.destination.model ?? null;
  const endpoint = ctx?.target?.endpoint ?? null;
  const version = endpoint?.labels?.version;
  const trustDomain = config?.trustDomain ?? "cluster.local";
  const principal = ctx?.principal ?? null;
  const userAgent = s.headers.original("user-agent");

  const labels: RequestLabels = {
    source_workload: s.caller ? workloadName(s.caller.service, s.caller.version) : undefined,
    source_workload_namespace: s.caller?.namespace,
    source_principal: principal ?? undefined,
    destination_service_name: destination?.name,
    destination_service_namespace: destination?.namespace,
    destination_workload: endpoint ? (endpoint.worker ?? endpoint.id) : undefined,
    destination_version: version,
    response_code: String(res.status),
    response_flags: flagText,
    request_protocol: "http",
    connection_security_policy: s.caller ? "mutual_tls" : "none",
  };
  const { registry, flusher } = isolateTelemetry();
  record(registry, labels, durationMs);

  const telemetryEnv = s.env as unknown as TelemetryEnv;
  const control = telemetryEnv.CONTROL;
  flusher.schedule(s.exec, (delta) => control.reportMetrics!(delta), setConfigGauges);

  if (revision === null) return;
  const serviceKey = destination ? `${destination.namespace}/${destination.name}` : null;
  const sinks = revision.sinksFor(serviceKey);
  if (sinks.logs.length === 0 && sinks.traces.length === 0) return;

  // Logs honour MeshConfig's accessLogs switch; a span goes to the trace sinks that sample this trace.
  const logSinks = revision.accessLogs ? sinks.logs : [];
  const spanSinks = s.trace.sampled ? sinks.traces.filter((sink) => sampledForSink(s.trace, sink.samplingPercent)) : [];
  if (logSinks.length === 0 && spanSinks.length === 0) return;
  // References only; the drain builds the record and its JSON for a whole batch at once (request-facts.ts).
  const facts: RequestFacts = {
    startMs: s.startMs,
    durationMs,
    requestId: s.requestId,
    trace: s.trace,
    principal,
    caller: s.caller,
    destination,
    endpoint,
    trustDomain,
    routeId: ctx?.match?.route.id ?? null,
    method: s.request.method,
    url,
    websocket: s.headers.original("upgrade")?.toLowerCase() === "websocket",
    userAgent,
    status: res.status,
    upstreamId: ctx?.upstreamEndpoint ?? endpoint?.id ?? null,
    attempts: ctx ? Math.max(ctx.attempts, ctx.target ? 1 : 0) : 0,
    responseFlags: flagText,
    // The denying AuthorizationPolicy: for the log only, never in the response.
    authzPolicy: ctx?.authz?.decision === "deny" && ctx.authzPolicy ? ctx.authzPolicy : null,
    errorCode,
  };
  ship(s.exec, telemetryEnv.TELEMETRY_QUEUE, { facts, logSinks, spanSinks });
}

const NO_FLAGS: ResponseFlag[] = [];
/** Flags the stages recorded, plus the one the mesh error code implies (NR, UH, UF, FI…). */
function responseFlags(ctx: ProxyContext | null, errorCode: string | null): ResponseFlag[] {
  // Most requests: nothing recorded, nothing implied.
  if (errorCode === null && (ctx === null || ctx.responseFlags.length === 0)) return NO_FLAGS;
  const flags = new Set<ResponseFlag>();
  for (const f of ctx?.responseFlags ?? []) if (KNOWN_FLAGS.has(f)) flags.add(f as ResponseFlag);
  const implied = errorCode === null ? undefined : flagForErrorCode(errorCode as ProxyErrorCode);
  if (implied !== undefined) flags.add(implied);
  return [...flags];
}

/** Istio names a workload after its deployment: `reviews-v2`. */
function workloadName(service: string, version: string | null): string {
  return version ? `${service}-${version}` : service;
}
