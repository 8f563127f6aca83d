// `/metrics` lines of the mesh CA: how long until the current root expires (alert long before zero).
import { controlPlane, type ControlEnv } from "../env";
import { planeCall } from "../http/plane-call";

export async function caMetricLines(env: ControlEnv): Promise<string[]> {
  const keys = await planeCall(() => controlPlane(env).signingKeys(), { idempotent: true });
  const lines = [
    "# HELP mesh_ca_root_expiry_seconds Seconds until the current mesh CA root certificate expires (rotation replaces it every 30 days; alert below 30 days).",
    "# TYPE mesh_ca_root_expiry_seconds gauge",
  ];
  if (keys.rootExpiresAt !== null) {
    lines.push(`mesh_ca_root_expiry_seconds ${Math.floor((Date.parse(keys.rootExpiresAt) - Date.now()) / 1000)}`);
  }
  lines.push(
    "# HELP mesh_ca_signing_keys The mesh CA keys published in the JWKS (current and previous).",
    "# TYPE mesh_ca_signing_keys gauge",
    `mesh_ca_signing_keys ${keys.items.length}`,
  );
  return lines;
}
