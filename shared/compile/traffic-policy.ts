// TrafficPolicies → load balancer and resilience inputs; per field, the most specific applicable policy
// wins (targetRef over selector over namespace over mesh-wide; then the oldest).
import type { LoadBalancerModel, ServiceModel } from "../model/snapshot";
import type { TrafficPolicyResource } from "../resources/registry";
import type { TrafficPolicySpec } from "../resources/trafficpolicy";
import { durationToMs } from "../duration";
import type { ResilienceInput } from "./policy-model";
import { outlierDetection } from "./destination-rule";
import { compareResourceAge } from "./order";
import { compileRetry } from "./retry";
import { policySpecificity } from "./scope";

export function trafficPolicyLoadBalancer(lb: NonNullable<TrafficPolicySpec["loadBalancer"]>): LoadBalancerModel {
  if (lb.hash === undefined) return { type: lb.type ?? "RoundRobin" };
  const hash: NonNullable<LoadBalancerModel["hash"]> = {};
  if (lb.hash.header !== undefined) hash.header = lb.hash.header.toLowerCase();
  if (lb.hash.queryParam !== undefined) hash.queryParam = lb.hash.queryParam;
  if (lb.hash.sourceIp === true) hash.sourceIp = true;
  const c = lb.hash.cookie;
  if (typeof c === "string") hash.cookie = { name: c };
  else if (c !== undefined) {
    hash.cookie = { name: c.name };
    if (c.ttl !== undefined) hash.cookie.ttlSeconds = durationToMs(c.ttl) / 1000;
    if (c.path !== undefined) hash.cookie.path = c.path;
  }
  return { type: "ConsistentHash", hash };
}

function percentOf(p: number | { value: number } | undefined): number {
  return p === undefined ? 100 : typeof p === "number" ? p : p.value;
}

/** Converts each field one TrafficPolicy sets. `timeouts.request: 0s` keeps 0 (disables the timeout). */
export function trafficPolicyResilience(spec: TrafficPolicySpec): ResilienceInput {
  const out: ResilienceInput = {};
  if (spec.circuitBreaker !== undefined) out.circuitBreaker = { ...spec.circuitBreaker };
  if (spec.outlierDetection !== undefined) out.outlierDetection = outlierDetection(spec.outlierDetection);
  if (spec.retry !== undefined) out.retry = compileRetry(spec.retry);
  if (spec.retryBudget !== undefined) out.retryBudget = { ...spec.retryBudget };
  if (spec.timeouts !== undefined) {
    const t: NonNullable<ResilienceInput["timeouts"]> = {};
    if (spec.timeouts.request !== undefined) t.requestMs = durationToMs(spec.timeouts.request);
    if (spec.timeouts.perTry !== undefined && durationToMs(spec.timeouts.perTry) > 0)
      t.perTryMs = durationToMs(spec.timeouts.perTry);
    out.timeouts = t;
  }
  const f = spec.fault;
  if (f !== undefined) {
    out.fault = {};
    if (f.delay !== undefined)
      out.fault.delay = { ms: durationToMs(f.delay.fixedDelay), percent: percentOf(f.delay.percentage) };
    if (f.abort !== undefined) out.fault.abort = { status: f.abort.httpStatus, percent: percentOf(f.abort.percentage) };
  }
  const rl = spec.rateLimit;
  if (rl !== undefined) {
    out.rateLimit = {};
    if (rl.local !== undefined) out.rateLimit.local = { ...rl.local };
    if (rl.global !== undefined) {
      const { key, ...rest } = rl.global;
      out.rateLimit.global = { ...rest };
      if (key?.header !== undefined) out.rateLimit.global.key = { header: key.header.toLowerCase() };
      else if (key?.principal === true) out.rateLimit.global.key = { principal: true };
      else if (key?.clientIp === true) out.rateLimit.global.key = { clientIp: true };
    }
  }
  return out;
}

/** The merged TrafficPolicy settings for one service: per field, the most specific policy that sets it. */
export function compileTrafficPolicies(
  policies: readonly TrafficPolicyResource[],
  service: ServiceModel,
): { loadBalancer?: LoadBalancerModel; resilience: ResilienceInput } {
  const applicable = policies
    .map((p) => ({ p, specificity: policySpecificity(p, service) }))
    .filter((x): x is { p: TrafficPolicyResource; specificity: number } => x.specificity !== undefined)
    .sort((a, b) => b.specificity - a.specificity || compareResourceAge(a.p, b.p));
  const out: { loadBalancer?: LoadBalancerModel; resilience: ResilienceInput } = { resilience: {} };
  const merged: Record<string, unknown> = {};
  for (const { p } of applicable) {
    if (out.loadBalancer === undefined && p.spec.loadBalancer !== undefined)
      out.loadBalancer = trafficPolicyLoadBalancer(p.spec.loadBalancer);
    for (const [field, value] of Object.entries(trafficPolicyResilience(p.spec))) {
      if (!(field in merged)) merged[field] = value;
    }
  }
  out.resilience = merged as ResilienceInput;
  return out;
}
