// Counters of the resilience stages (retries, outlier ejections, circuit-breaker overflows, rate limits).
// Each is one map update in the isolate's registry: no I/O; the next background metrics flush carries it.
import { inc } from "../../../../shared/telemetry/index";
import { isolateRegistry } from "./isolate";

/** The service a counter is about (its `destination_service_*` labels). */
export interface CountedService {
  readonly name: string;
  readonly namespace: string;
}

function destination(service: CountedService) {
  return { destination_service_name: service.name, destination_service_namespace: service.namespace };
}

/** A retry was sent (a try after the first). Per retry. */
export function countRetry(service: CountedService): void {
  inc(isolateRegistry(), "mesh_retries_total", destination(service));
}

/** Outlier detection ejected `endpoint` (its endpoint id). Per ejection. */
export function countEjection(service: CountedService, endpoint: string): void {
  inc(isolateRegistry(), "mesh_outlier_ejections_total", { ...destination(service), endpoint });
}

/** The circuit breaker refused a try (503 circuit_open). Per refusal. */
export function countOverflow(service: CountedService): void {
  inc(isolateRegistry(), "mesh_circuit_breaker_overflows_total", destination(service));
}

/** A rate limit refused a request (429); `scope` says which limit: the isolate's bucket or the mesh-wide one. */
export function countRateLimited(service: CountedService, scope: "local" | "global"): void {
  inc(isolateRegistry(), "mesh_rate_limited_total", { ...destination(service), scope });
}
