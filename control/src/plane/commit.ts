// Writes a new revision: the resource set, its history entry and its compiled snapshot. Run inside transactionSync.
import type { Resource } from "../../../shared/resources/resource";
import { resourceId } from "../../../shared/resources/resource";
import { compileSnapshot } from "../../../shared/compile/index";
import { partsToJson, toParts, type SnapshotParts } from "../../../shared/model/snapshot-parts";
import type { ResourceStore } from "../storage/resource-store";
import type { RevisionStore } from "../storage/revision-store";
import type { SnapshotStore } from "../storage/snapshot-store";
import { sameContent, withServerFields } from "./content";

export interface Stores {
  resources: ResourceStore;
  revisions: RevisionStore;
  snapshot: SnapshotStore;
}

export interface Change {
  actor: string;
  summary: string;
  /** ISO 8601. */
  now: string;
}

/**
 * Makes `next` the current set as revision current+1. A resource whose content did not change keeps its
 * stored object (and resourceVersion); a changed or new one gets the revision number as resourceVersion and
 * keeps the creation time of the resource it replaces. Returns the new revision, its snapshot (JSON and parts)
 * and the stored resource set.
 */
export function commit(
  stores: Stores,
  current: ReadonlyMap<string, Resource>,
  next: ReadonlyMap<string, Resource>,
  change: Change,
  previous?: SnapshotParts,
): { revision: number; snapshotJson: string; parts: SnapshotParts; stored: Resource[] } {
  const revision = stores.revisions.current() + 1;
  const version = String(revision);
  const stored: Resource[] = [];
  const changed: Resource[] = [];
  for (const [id, wanted] of [...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const before = current.get(id);
    if (before && sameContent(before, wanted)) {
      stored.push(before);
      continue;
    }
    const created = before?.metadata.creationTimestamp ?? change.now;
    const resource = withServerFields(wanted, version, created);
    stores.resources.put(resource);
    stored.push(resource);
    changed.push(resource);
  }
  const deleted = [...current.keys()].filter((id) => !next.has(id));
  for (const id of deleted) stores.resources.delete(id);
  const entry = { revision, time: change.now, actor: change.actor, summary: change.summary };
  stores.revisions.record(entry, changed, deleted);
  // Per service, with the revision each last changed in (`previous`: the current revision's parts, if known).
  const parts = toParts(compileSnapshot(stored, revision, change.now), previous);
  const snapshotJson = partsToJson(parts);
  stores.snapshot.write({ revision, json: snapshotJson });
  return { revision, snapshotJson, parts, stored };
}

/** Records revision 0, the empty mesh, in a fresh database. */
export function recordEmptyMesh(stores: Stores, now: string): void {
  stores.revisions.record({ revision: 0, time: now, actor: "system", summary: "empty mesh" }, [], []);
  stores.snapshot.write({ revision: 0, json: JSON.stringify(compileSnapshot([], 0, now)) });
}

/** Two resource sets hold the same resources with the same user content. */
export function sameSet(a: ReadonlyMap<string, Resource>, b: ReadonlyMap<string, Resource>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, resource] of a) {
    const other = b.get(id);
    if (!other || !sameContent(resource, other)) return false;
  }
  return true;
}

export function byId(resources: readonly Resource[]): Map<string, Resource> {
  return new Map(resources.map((r) => [resourceId(r), r]));
}
