// Security documents → each service's ServiceSecurityModel (peer mode, JWT rules, authorization
// policies), using shared/security's scoping and Istio semantics.
import type { ServiceModel } from "../model/snapshot";
import type { ServiceSecurityModel } from "../model/security";
import type { Resource } from "../resources/resource";
import { ofKind } from "../resources/registry";
import { securityForService, type SecurityDocuments } from "../security/from-istio";
import { compareResourceAge } from "./order";
import { ROOT_NAMESPACE } from "./scope";

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
 * A Service's security model. Nothing of the MeshConfig enters it: a Service no PeerAuthentication decides for has
 * no peer mode in its model, and the proxy applies the mesh's default (`effectivePeerMode`), so that the compiler
 * keeps every held model through any MeshConfig change (`compileSnapshot`).
 */
export function compileSecurity(service: ServiceModel, docs: SecurityDocuments): ServiceSecurityModel {
  const scoped = { namespace: service.namespace, name: service.name, labels: service.labels };
  return securityForService(scoped, docs, { rootNamespace: ROOT_NAMESPACE });
}
