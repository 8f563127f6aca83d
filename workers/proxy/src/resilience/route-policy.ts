// The resilience settings of one route of one revision (fault, timeouts, retry plan), resolved once and memoized.
import { MeshResilienceModel } from "../../../../shared/model/resilience";
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

// Route objects live exactly as long as their revision, so the memo does too.
const memo = new WeakMap<RouteModel, RoutePolicy>();
const meshMemo = new WeakMap<CompiledConfig, MeshResilienceModel>();

/** Route beats the service's TrafficPolicy beats MeshConfig (shared/resilience/resolve-policy.ts). */
export function routePolicy(config: CompiledConfig, service: CompiledService, route: RouteModel): RoutePolicy {
  let policy = memo.get(route);
  if (policy === undefined) {
    const mesh = meshResilience(config);
    const own = service.model.policy.resilience;
    policy = {
      fault: effectiveFault(route, own),
      timeouts: effectiveTimeouts(route, own, mesh),
      retry: compileRetryPolicy(effectiveRetry(route, own, mesh)),
      retryBodyLimitBytes: mesh.retryBodyLimitBytes,
    };
    memo.set(route, policy);
  }
  return policy;
}

function meshResilience(config: CompiledConfig): MeshResilienceModel {
  let mesh = meshMemo.get(config);
  if (mesh === undefined) {
    // A snapshot compiled before MeshConfig carried resilience gets the documented defaults.
    const given = config.mesh.resilience;
    mesh = given ?? MeshResilienceModel.parse({ defaultTimeoutMs: config.mesh.defaultTimeoutMs });
    meshMemo.set(config, mesh);
  }
  return mesh;
}
