// Security documents → each service's ServiceSecurityModel (peer mode, JWT rules, authorization
// policies), using shared/security's scoping and Istio semantics.
import type { ServiceModel } from "../model/snapshot";
import type { ServiceSecurityModel } from "../model/security";
import type { Resource } from "../resources/resource";
import type { MeshConfigResource } from "../resources/registry";
import { ofKind } from "../resources/registry";
import { securityForService, type SecurityDocuments } from "../security/from-istio";
import { meshDefaultPeer } from "../security/peer-authentication";
import { compareResourceAge } from "./order";
import { ROOT_NAMESPACE } from "./scope";

export type MeshDefaultMtlsMode = NonNullable<MeshConfigResource["spec"]["defaultMtlsMode"]>;

function documents<T extends Resource>(list: T[]): { namespace: string; name: string; spec: T["spec"] }[] {
  // Oldest first: on a tie the first PeerAuthentication wins, as in Istio.
  return [...list]
    .sort(compareResourceAge)
    .map((r) => ({ namespace: r.metadata.namespace, name: r.metadata.name, spec: r.spec }));
}

/** The security documents of a resource set, ready for `compileSecurity`. */
export function securityDocuments(resources: readonly Resource[]): SecurityDocuments {
  return {
    peerAuthentications: documents(ofKind(resources, "PeerAuthentication")),
    requestAuthentications: documents(ofKind(resources, "RequestAuthentication")),
    authorizationPolicies: documents(ofKind(resources, "AuthorizationPolicy")),
  };
}

/**
 * A Service's security model. Of the MeshConfig it takes only the default mTLS mode: the compiler reuses models
 * while that value is unchanged (`compileSnapshot`), so nothing else of the mesh may enter here.
 */
export function compileSecurity(
  service: ServiceModel,
  docs: SecurityDocuments,
  mode: MeshDefaultMtlsMode | undefined,
): ServiceSecurityModel {
  const scoped = { namespace: service.namespace, name: service.name, labels: service.labels };
  return securityForService(
    scoped,
    docs,
    mode === undefined ? { rootNamespace: ROOT_NAMESPACE } : { rootNamespace: ROOT_NAMESPACE, meshDefaultMode: mode },
  );
}

/**
 * A model from `compileSecurity` as it would be under another mesh default mode: the same object when a
 * PeerAuthentication decided its peer mode (the default then takes no part), else a copy with the new default.
 */
export function withMeshDefaultMode(
  security: ServiceSecurityModel,
  mode: MeshDefaultMtlsMode | undefined,
): ServiceSecurityModel {
  if (security.peerAuthentication.policy !== undefined) return security;
  return { ...security, peerAuthentication: meshDefaultPeer(mode) };
}
