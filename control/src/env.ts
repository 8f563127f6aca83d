// The control Worker's bindings: the wrangler-generated `Env` plus the secrets and optional vars it cannot see.
import type { ValidateOptions } from "../../shared/validate/index";
import type { ControlPlane } from "./durable/control-plane";
import type { HealthChecker } from "./health/health-checker";
import type { MetricsShard } from "./telemetry/metrics-shard";

export interface ControlEnv extends Omit<
  Env,
  "CONTROL_PLANE" | "MESH_ENV" | "MESH_ADMIN_TOKEN" | "MESH_READONLY_TOKEN" | "METRICS_SHARDS" | "HEALTH_CHECKER"
> {
  CONTROL_PLANE: DurableObjectNamespace<ControlPlane>;
  /** Active health checks and shared outlier ejections (control/src/health); optional so that tests may omit it. */
  HEALTH_CHECKER?: DurableObjectNamespace<HealthChecker>;
  /** `development` (local mesh) or `production` (anything else is treated as production). */
  MESH_ENV?: string;
  /** Secret: bearer token of the admin role. Without it every authenticated call is refused. */
  MESH_ADMIN_TOKEN?: string;
  /** Optional bearer token of the read-only viewer role. */
  MESH_READONLY_TOKEN?: string;
  /**
   * Secret: the key (any high-entropy string) from which the mesh CA's storage encryption key is derived
   * (HKDF). Required outside development; locally the admin token stands in for it.
   */
  MESH_KEY_ENCRYPTION_KEY?: string;
  /** How long the ProxyApi caches the current snapshot in the isolate (default 250 ms). */
  MESH_CONTROL_CACHE_MS?: string;
  /** Additive (telemetry): the development admin token, bound by the local mesh only; the dashboard offers it. */
  MESH_DEV_TOKEN?: string;
  /** Additive (telemetry): the MetricsShard objects that aggregate proxy metrics. */
  METRICS_SHARDS?: DurableObjectNamespace<MetricsShard>;
  /** Additive (telemetry): how many MetricsShard objects to spread metrics sources over (default 4). */
  MESH_METRICS_SHARDS?: string;
}

export function meshEnvironment(env: { MESH_ENV?: string }): ValidateOptions["environment"] {
  return env.MESH_ENV === "development" ? "development" : "production";
}

/** The mesh has exactly one ControlPlane object. */
export function controlPlane(env: ControlEnv): DurableObjectStub<ControlPlane> {
  return env.CONTROL_PLANE.getByName("mesh");
}
