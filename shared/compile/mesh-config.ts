// MeshConfig → snapshot.mesh (trust domain, defaults, allowed endpoint ranges).
import type { MeshConfigModel } from "../model/snapshot";
import { MeshResilienceModel } from "../model/resilience";
import type { MeshConfigResource } from "../resources/registry";
import { durationToMs } from "../duration";
import { compileRetry } from "./retry";

export const DEFAULT_TRUST_DOMAIN = "cluster.local";

/**
 * `mesh` of the snapshot. Besides the schema's fields (trustDomain, defaultTimeoutMs, allowedEndpointCidrs)
 * it carries `defaultMtlsMode` (STRICT | PERMISSIVE | DISABLE) when the MeshConfig sets it, and always
 * `resilience` (shared/model/resilience.ts MeshResilienceModel: default timeout and Istio's default retry
 * policy unless `defaultHttpRetryPolicy` replaces it), and `tracing` (`samplingPercent`, `propagation`) and `requestId`
 * (`setInResponse`) with what the MeshConfig sets of them.
 */
export function compileMeshConfig(config: MeshConfigResource | undefined): MeshConfigModel {
  const spec = config?.spec ?? {};
  const mesh: MeshConfigModel = {
    trustDomain: spec.trustDomain ?? DEFAULT_TRUST_DOMAIN,
    allowedEndpointCidrs: [...(spec.allowedEndpointCidrs ?? [])],
  };
  const resilience: Record<string, unknown> = {};
  if (spec.defaultTimeout !== undefined && durationToMs(spec.defaultTimeout) > 0) {
    mesh.defaultTimeoutMs = durationToMs(spec.defaultTimeout);
    resilience.defaultTimeoutMs = mesh.defaultTimeoutMs;
  }
  if (spec.defaultHttpRetryPolicy !== undefined) resilience.defaultRetry = compileRetry(spec.defaultHttpRetryPolicy);
  if (spec.defaultMtlsMode !== undefined) mesh.defaultMtlsMode = spec.defaultMtlsMode;
  const tracing: NonNullable<MeshConfigModel["tracing"]> = {};
  if (spec.tracing?.samplingPercent !== undefined) tracing.samplingPercent = spec.tracing.samplingPercent;
  if (spec.tracing?.propagation !== undefined) tracing.propagation = [...spec.tracing.propagation];
  if (Object.keys(tracing).length > 0) mesh.tracing = tracing;
  if (spec.requestId?.setInResponse !== undefined) mesh.requestId = { setInResponse: spec.requestId.setInResponse };
  mesh.resilience = MeshResilienceModel.parse(resilience);
  return mesh;
}
