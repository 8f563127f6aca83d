// Which setting applies to a request when the route, the destination service and the mesh all have one.
// Run once per route per config revision; the results are plain data the per-request stages read.
import type { DestinationLimitsModel, MeshResilienceModel, ServiceResilienceModel } from "../model/resilience";
import type { FaultInput } from "./fault";
import type { RetryPolicyInput } from "./retry-policy";
import { resolveTimeouts, type ResolvedTimeouts } from "./timeouts";

/** The route fields that matter here (snapshot `RouteModel` and `RouteResilienceModel` fit). */
export interface RouteResilienceInput {
  timeoutMs?: number;
  perTryTimeoutMs?: number;
  retry?: RetryPolicyInput;
  fault?: FaultInput;
}

type ServiceInput = Partial<Pick<ServiceResilienceModel, "retry" | "timeouts" | "fault">> | undefined;
type MeshInput = Partial<Pick<MeshResilienceModel, "defaultRetry" | "defaultTimeoutMs">> | undefined;

/** Route retry, else the service's (TrafficPolicy), else the mesh default (Istio's policy unless changed). */
export function effectiveRetry(
  route: RouteResilienceInput | undefined,
  service: ServiceInput,
  mesh: MeshInput,
): RetryPolicyInput | undefined {
  return route?.retry ?? service?.retry ?? mesh?.defaultRetry;
}

/** The route's fault replaces the service's (they are not combined, so one request draws once). */
export function effectiveFault(route: RouteResilienceInput | undefined, service: ServiceInput): FaultInput | undefined {
  return route?.fault ?? service?.fault;
}

/** Request and per-try timeouts for a route (see `resolveTimeouts` for the precedence). */
export function effectiveTimeouts(
  route: RouteResilienceInput | undefined,
  service: ServiceInput,
  mesh: MeshInput,
): ResolvedTimeouts {
  const retry = effectiveRetry(route, service, mesh);
  return resolveTimeouts({
    routeMs: route?.timeoutMs,
    serviceMs: service?.timeouts?.requestMs,
    meshMs: mesh?.defaultTimeoutMs,
    perTryMs: [
      route?.retry?.perTryTimeoutMs,
      route?.perTryTimeoutMs,
      service?.timeouts?.perTryMs,
      retry?.perTryTimeoutMs,
    ],
  });
}

/**
 * Breaker, outlier-detection and retry-budget settings of a destination: the subset's own fields where
 * it sets them, else the service's. Key the matching state with `destinationKey(service, subset)`.
 */
export function destinationLimits(policy: ServiceResilienceModel | undefined, subset?: string): DestinationLimitsModel {
  const own = subset === undefined ? undefined : policy?.subsets[subset];
  return {
    circuitBreaker: own?.circuitBreaker ?? policy?.circuitBreaker,
    outlierDetection: own?.outlierDetection ?? policy?.outlierDetection,
    retryBudget: own?.retryBudget ?? policy?.retryBudget,
  };
}

/**
 * Scope of all per-destination state (breaker, outlier detection, retry budget), per proxy isolate:
 * `<ns>/<name>` or `<ns>/<name>|<subset>`, one state per Envoy-like cluster.
 */
export function destinationKey(service: string, subset?: string): string {
  return subset === undefined || subset === "" ? service : `${service}|${subset}`;
}
