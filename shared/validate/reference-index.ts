// What reference checks look up: the Services of a resource set and how to name a document.
import type { Resource } from "../resources/resource";
import { ofKind } from "../resources/registry";
import { resolveHost } from "../compile/resolve-host";

export interface ReferenceIndex {
  resources: readonly Resource[];
  /** `<namespace>/<name>` of every Service. */
  serviceKeys: Set<string>;
}

export function buildIndex(resources: readonly Resource[]): ReferenceIndex {
  const serviceKeys = new Set(ofKind(resources, "Service").map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  return { resources, serviceKeys };
}

/** `Kind/name`, as validateDocuments names documents. */
export function label(resource: Resource): string {
  return `${resource.kind}/${resource.metadata.name}`;
}

/** `namespace/name` of a resource, for messages. */
export function qualified(resource: Resource): string {
  return `${resource.metadata.namespace}/${resource.metadata.name}`;
}

/** Resolves an Istio host from a resource's namespace. */
export function resolveFrom(index: ReferenceIndex, resource: Resource, host: string): string | undefined {
  return resolveHost(host, resource.metadata.namespace, index.serviceKeys);
}

/** Resolves a Gateway API / policy reference `{name, namespace?}` (namespace defaults to the resource's). */
export function resolveRef(
  index: ReferenceIndex,
  resource: Resource,
  ref: { name: string; namespace?: string | undefined },
): string | undefined {
  const key = `${ref.namespace ?? resource.metadata.namespace}/${ref.name}`;
  return index.serviceKeys.has(key) ? key : undefined;
}
