// A DestinationRule → its Service's subsets, load balancer and resilience inputs (connection pool,
// outlier detection, retry budget, per-subset limits).
import type { LoadBalancerModel } from "../model/snapshot";
import type { DestinationRuleResource } from "../resources/registry";
import type {
  ConnectionPoolSettings,
  IstioTrafficPolicy,
  LoadBalancerSettings,
  OutlierDetection,
} from "../resources/destinationrule";
import type * as z from "zod";
import type { DestinationLimitsModel, OutlierDetectionModel } from "../model/resilience";
import { durationToMs } from "../duration";
import type { ResilienceInput } from "./policy-model";

export function istioLoadBalancer(lb: LoadBalancerSettings): LoadBalancerModel | undefined {
  const h = lb.consistentHash;
  if (h !== undefined) {
    const hash: NonNullable<LoadBalancerModel["hash"]> = {};
    if (h.httpHeaderName !== undefined) hash.header = h.httpHeaderName.toLowerCase();
    if (h.httpQueryParameterName !== undefined) hash.queryParam = h.httpQueryParameterName;
    if (h.useSourceIp === true) hash.sourceIp = true;
    if (h.httpCookie !== undefined) {
      const cookie: NonNullable<typeof hash.cookie> = { name: h.httpCookie.name };
      if (h.httpCookie.ttl !== undefined) cookie.ttlSeconds = durationToMs(h.httpCookie.ttl) / 1000;
      if (h.httpCookie.path !== undefined) cookie.path = h.httpCookie.path;
      hash.cookie = cookie;
    }
    return { type: "ConsistentHash", hash };
  }
  switch (lb.simple) {
    case "RANDOM":
      return { type: "Random" };
    case "LEAST_REQUEST":
    case "LEAST_CONN":
      return { type: "LeastRequest" };
    case "ROUND_ROBIN":
      return { type: "RoundRobin" };
    default:
      return undefined; // UNSPECIFIED / PASSTHROUGH: the proxy's default
  }
}

/** Istio connectionPool → circuit breaker (see CircuitBreakerModel for the mapping). */
function circuitBreaker(pool: ConnectionPoolSettings): ResilienceInput["circuitBreaker"] {
  const cb: NonNullable<ResilienceInput["circuitBreaker"]> = {};
  // An HTTP/1.1 connection carries one request at a time, so maxConnections bounds concurrency too.
  const limits = [pool.tcp?.maxConnections, pool.http?.http2MaxRequests].filter((n): n is number => n !== undefined);
  if (limits.length > 0) cb.maxConcurrentRequests = Math.min(...limits);
  if (pool.http?.http1MaxPendingRequests !== undefined) cb.maxPendingRequests = pool.http.http1MaxPendingRequests;
  if (pool.http?.maxRetries !== undefined) cb.maxConcurrentRetries = pool.http.maxRetries;
  return Object.keys(cb).length > 0 ? cb : undefined;
}

/** Istio/TrafficPolicy outlierDetection; unset fields take the model's (Istio) defaults. */
export function outlierDetection(o: Partial<OutlierDetection>): z.input<typeof OutlierDetectionModel> {
  const model: z.input<typeof OutlierDetectionModel> = {};
  if (o.consecutive5xxErrors !== undefined) model.consecutive5xxErrors = o.consecutive5xxErrors;
  // The deprecated `consecutiveErrors` counted 502/503/504, i.e. gateway errors.
  const gateway = o.consecutiveGatewayErrors ?? o.consecutiveErrors;
  if (gateway !== undefined) model.consecutiveGatewayErrors = gateway;
  if (o.interval !== undefined) model.intervalMs = Math.max(1, durationToMs(o.interval));
  if (o.baseEjectionTime !== undefined) model.baseEjectionTimeMs = Math.max(1, durationToMs(o.baseEjectionTime));
  if (o.maxEjectionPercent !== undefined) model.maxEjectionPercent = o.maxEjectionPercent;
  if (o.minHealthPercent !== undefined) model.minHealthPercent = o.minHealthPercent;
  return model;
}

/** The limits part of an Istio traffic policy (service level or subset level). */
function limits(tp: IstioTrafficPolicy): z.input<typeof DestinationLimitsModel> {
  const out: z.input<typeof DestinationLimitsModel> = {};
  const cb = tp.connectionPool !== undefined ? circuitBreaker(tp.connectionPool) : undefined;
  if (cb !== undefined) out.circuitBreaker = cb;
  if (tp.outlierDetection !== undefined) out.outlierDetection = outlierDetection(tp.outlierDetection);
  // Istio's minRetryConcurrency has no equivalent in a per-isolate, rate-based budget.
  if (tp.retryBudget?.percent !== undefined) out.retryBudget = { percent: tp.retryBudget.percent };
  return out;
}

export interface CompiledDestinationRule {
  subsets: Record<string, Record<string, string>>;
  loadBalancer?: LoadBalancerModel;
  resilience: ResilienceInput;
}

export function compileDestinationRule(dr: DestinationRuleResource): CompiledDestinationRule {
  const out: CompiledDestinationRule = { subsets: {}, resilience: {} };
  const tp = dr.spec.trafficPolicy;
  if (tp !== undefined) {
    const lb = tp.loadBalancer !== undefined ? istioLoadBalancer(tp.loadBalancer) : undefined;
    if (lb !== undefined) out.loadBalancer = lb;
    out.resilience = { ...limits(tp) };
  }
  const subsetLimits: NonNullable<ResilienceInput["subsets"]> = {};
  for (const s of dr.spec.subsets ?? []) {
    out.subsets[s.name] = { ...(s.labels ?? {}) };
    if (s.trafficPolicy !== undefined) {
      const l = limits(s.trafficPolicy);
      if (Object.keys(l).length > 0) subsetLimits[s.name] = l;
    }
  }
  if (Object.keys(subsetLimits).length > 0) out.resilience.subsets = subsetLimits;
  return out;
}
