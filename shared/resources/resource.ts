// The envelope every resource shares, and the closed list of kinds the mesh accepts (contract §4).

export const KINDS = [
  "Service",
  "HTTPRoute",
  "VirtualService",
  "DestinationRule",
  "PeerAuthentication",
  "RequestAuthentication",
  "AuthorizationPolicy",
  "TrafficPolicy",
  "TelemetrySink",
  "MeshConfig",
] as const;
export type Kind = (typeof KINDS)[number];

export interface ResourceMetadata {
  name: string;
  /** Defaults to `default`. */
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Set by the control plane; changes whenever the stored resource changes. */
  resourceVersion?: string;
  /** Set by the control plane when the resource is first created (ISO 8601). */
  creationTimestamp?: string;
}

/** A validated resource. `spec` is the kind's parsed spec (see shared/resources/<kind>.ts). */
export interface Resource<S = unknown> {
  apiVersion: string;
  kind: Kind;
  metadata: ResourceMetadata;
  spec: S;
}

/** Identity of a stored resource: `Kind/namespace/name`. */
export function resourceId(r: { kind: string; metadata: { namespace: string; name: string } }): string {
  return `${r.kind}/${r.metadata.namespace}/${r.metadata.name}`;
}

/** Resolves a kind written in any case (`httproute`, `HTTPRoute`) to its canonical spelling. */
export function canonicalKind(kind: string): Kind | undefined {
  const lower = kind.toLowerCase();
  return KINDS.find((k) => k.toLowerCase() === lower);
}
