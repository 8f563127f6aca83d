// The documented shape of ServiceModel.policy (a loose object in the snapshot schema).
import type * as z from "zod";
import type { LoadBalancerModel } from "../model/snapshot";
import type { ServiceResilienceModel } from "../model/resilience";
import type { ServiceSecurityModel } from "../model/security";

/**
 * Policy applied when a service is the destination of a request, compiled from the DestinationRule whose
 * host is the service, the TrafficPolicies that apply to it (a TrafficPolicy field wins over the same
 * DestinationRule field) and the Service's own `healthCheck`. All times are in milliseconds.
 *
 * - `loadBalancer`: DestinationRule `trafficPolicy.loadBalancer` or TrafficPolicy `loadBalancer`.
 * - `resilience`: always present, in the shape of shared/model/resilience.ts `ServiceResilienceModel`
 *   (circuit breaker, outlier detection, retry budget, default retry/timeouts/fault, rate limits, health
 *   check, per-subset limits), defaults filled by that schema.
 * - `security`: always present, shared/model/security.ts `ServiceSecurityModel` (peer-authentication
 *   mode, JWT rules and authorization policies scoped to this service), built by shared/security.
 */
export interface DestinationPolicy {
  [field: string]: unknown;
  loadBalancer?: LoadBalancerModel;
  resilience: ServiceResilienceModel;
  security: ServiceSecurityModel;
}

/** What one source (DestinationRule, TrafficPolicy, Service) sets, before merging and defaults. */
export type ResilienceInput = z.input<typeof ServiceResilienceModel>;
