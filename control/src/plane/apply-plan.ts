// Pure planning of an apply: merge validated documents into the current set and decide each document's action.
import type { ErrorDetail } from "../../../shared/errors";
import type { Resource } from "../../../shared/resources/resource";
import { resourceId } from "../../../shared/resources/resource";
import { sameContent } from "./content";
import type { PlaneResult } from "./result";
import { fail, ok } from "./result";

export type ApplyAction = "created" | "configured" | "unchanged";

export interface ApplyResultItem {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  action: ApplyAction;
}

export interface ApplyPlan {
  results: ApplyResultItem[];
  /** The resource set after the apply, keyed by id; unchanged resources are the stored objects. */
  next: Map<string, Resource>;
  changed: boolean;
  summary: string;
}

/**
 * Merges `incoming` (validated, in request order) into `current`. `sentVersions[i]` is the
 * `metadata.resourceVersion` document i carried, if any: it must equal the stored one (optimistic concurrency).
 */
export function planApply(
  current: ReadonlyMap<string, Resource>,
  incoming: readonly Resource[],
  sentVersions: readonly (string | undefined)[],
): PlaneResult<ApplyPlan> {
  const duplicates = duplicateProblems(incoming);
  if (duplicates.length > 0) {
    return fail("invalid_resource", "the request names a resource more than once", { details: duplicates });
  }
  const conflicts = versionConflicts(current, incoming, sentVersions);
  if (conflicts.length > 0) {
    return fail("conflict", "the resource was changed since it was read (stale metadata.resourceVersion)", {
      status: 409,
      details: conflicts,
    });
  }
  const next = new Map(current);
  const results: ApplyResultItem[] = [];
  for (const resource of incoming) {
    const id = resourceId(resource);
    const stored = current.get(id);
    const action: ApplyAction = !stored ? "created" : sameContent(stored, resource) ? "unchanged" : "configured";
    if (action !== "unchanged") next.set(id, resource);
    const { apiVersion, kind, metadata } = resource;
    results.push({ apiVersion, kind, namespace: metadata.namespace, name: metadata.name, action });
  }
  const changed = results.some((r) => r.action !== "unchanged");
  return ok({ results, next, changed, summary: applySummary(results) });
}

/** How a document is named in error details: `Kind/name`, with the namespace when it is not `default`. */
export function documentName(resource: Resource): string {
  const { namespace, name } = resource.metadata;
  return namespace === "default" ? `${resource.kind}/${name}` : `${resource.kind}/${namespace}/${name}`;
}

function duplicateProblems(incoming: readonly Resource[]): ErrorDetail[] {
  const seen = new Set<string>();
  const problems: ErrorDetail[] = [];
  incoming.forEach((resource, index) => {
    const id = resourceId(resource);
    if (seen.has(id)) {
      problems.push({
        document: documentName(resource),
        path: "metadata.name",
        message: `document #${index} repeats ${id}; each resource may appear once per apply`,
      });
    }
    seen.add(id);
  });
  return problems;
}

function versionConflicts(
  current: ReadonlyMap<string, Resource>,
  incoming: readonly Resource[],
  sentVersions: readonly (string | undefined)[],
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  incoming.forEach((resource, index) => {
    const sent = sentVersions[index];
    if (sent === undefined) return;
    const stored = current.get(resourceId(resource))?.metadata.resourceVersion;
    if (stored === sent) return;
    problems.push({
      document: documentName(resource),
      path: "metadata.resourceVersion",
      message:
        stored === undefined
          ? `resourceVersion "${sent}" was sent but the resource does not exist`
          : `resourceVersion "${sent}" is stale; the stored resourceVersion is "${stored}"`,
    });
  });
  return problems;
}

const SUMMARY_ITEMS = 5;

function applySummary(results: readonly ApplyResultItem[]): string {
  const changed = results.filter((r) => r.action !== "unchanged");
  const shown = changed
    .slice(0, SUMMARY_ITEMS)
    .map((r) => `${r.action} ${r.kind}/${r.namespace}/${r.name}`)
    .join(", ");
  const more = changed.length > SUMMARY_ITEMS ? ` (+${changed.length - SUMMARY_ITEMS} more)` : "";
  return `apply: ${shown}${more}`;
}
