// The control Worker's bindings: the wrangler-generated `Env` plus the secrets and optional vars it cannot see.
import type { ValidateOptions } from "../../shared/validate/index";
import type { ControlPlane } from "./durable/control-plane";

export interface ControlEnv extends Omit<
  Env,
  "CONTROL_PLANE" | "MESH_ENV" | "MESH_ADMIN_TOKEN" | "MESH_READONLY_TOKEN"
> {
  CONTROL_PLANE: DurableObjectNamespace<ControlPlane>;
  /** `development` (local mesh) or `production` (anything else is treated as production). */
  MESH_ENV?: string;
  /** Secret: bearer token of the admin role. Without it every authenticated call is refused. */
  MESH_ADMIN_TOKEN?: string;
  /** Optional bearer token of the read-only viewer role. */
  MESH_READONLY_TOKEN?: string;
  /** How long the ProxyApi caches the current snapshot in the isolate (default 250 ms). */
  MESH_CONTROL_CACHE_MS?: string;
}

export function meshEnvironment(env: { MESH_ENV?: string }): ValidateOptions["environment"] {
  return env.MESH_ENV === "development" ? "development" : "production";
}

/** The mesh has exactly one ControlPlane object. */
export function controlPlane(env: ControlEnv): DurableObjectStub<ControlPlane> {
  return env.CONTROL_PLANE.getByName("mesh");
}
