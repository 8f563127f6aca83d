// The resilience settings of one route (fault, timeouts, retry plan), resolved once per route and mesh defaults.
import type { RouteModel } from "../../../../shared/model/snapshot";
import {
  compileRetryPolicy,
  effectiveFault,
  effectiveRetry,
  effectiveTimeouts,
  type FaultInput,
  type ResolvedTimeouts,
  type RetryPlan,
} from "../../../../shared/resilience/index";
import type { CompiledConfig, CompiledService } from "../config/compiled";

export interface RoutePolicy {
  fault: FaultInput | undefined;
  timeouts: ResolvedTimeouts;
  retry: RetryPlan;
  /** Request bodies up to this size are buffered so that they can be retried (MeshConfig, default 64 KiB). */
  retryBodyLimitBytes: number;
}

/**
 * A route object lives as long as its service's model, which a proxy keeps from one revision to the next while
 * the service's JSON is unchanged — through a MeshConfig change too — so each policy is kept with the mesh
 * defaults it was resolved with, and resolved again when they change.
 */
const memo = new WeakMap<RouteModel, { mesh: CompiledConfig["meshResilience"]; policy: RoutePolicy }>();

/** Route beats the service's TrafficPolicy beats MeshConfig (shared/resilience/resolve-policy.ts). */
export function routePolicy(config: CompiledConfig, service: CompiledService, route: RouteModel): RoutePolicy {
  const mesh = config.meshResilience;
  const held = memo.get(route);
  if (held !== undefined && held.mesh === mesh) return held.policy;
  const own = service.model.policy.resilience;
  const policy: RoutePolicy = {
    fault: effectiveFault(route, own),
    timeouts: effectiveTimeouts(route, own, mesh),
    retry: compileRetryPolicy(effectiveRetry(route, own, mesh)),
    retryBodyLimitBytes: mesh.retryBodyLimitBytes,
  };
  memo.set(route, { mesh, policy });
  return policy;
}
