// What counts as a change: a resource's user-owned content, compared independently of key order and server fields.
import type { Resource } from "../../../shared/resources/resource";

/** The parts of a resource a user owns; `resourceVersion` and `creationTimestamp` are the server's. */
export function userContent(resource: Resource): unknown {
  const { name, namespace, labels, annotations } = resource.metadata;
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: { name, namespace, labels: nonEmpty(labels), annotations: nonEmpty(annotations) },
    spec: resource.spec,
  };
}

export function sameContent(a: Resource, b: Resource): boolean {
  // The same stored object (an unchanged resource of a plan): no need to serialise 2 × 2,000 of them per apply.
  if (a === b) return true;
  return canonicalJson(userContent(a)) === canonicalJson(userContent(b));
}

/** JSON with object keys sorted and `undefined` members dropped, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A copy of `resource` whose metadata carries exactly the given server fields. */
export function withServerFields(resource: Resource, resourceVersion: string, creationTimestamp: string): Resource {
  const { name, namespace, labels, annotations } = resource.metadata;
  const metadata: Resource["metadata"] = { name, namespace };
  if (labels !== undefined) metadata.labels = labels;
  if (annotations !== undefined) metadata.annotations = annotations;
  metadata.resourceVersion = resourceVersion;
  metadata.creationTimestamp = creationTimestamp;
  return { apiVersion: resource.apiVersion, kind: resource.kind, metadata, spec: resource.spec };
}

function nonEmpty(map: Record<string, string> | undefined): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? map : undefined;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}
