// A snapshot split per service, so that a proxy holding the previous revision receives only what changed.
import type { SnapshotModel } from "./snapshot";

/** One service of a snapshot: its JSON text and the revision in which that text last changed. */
export interface ServicePart {
  text: string;
  since: number;
}

/**
 * A snapshot as parts: `head` is its JSON without `services`; each service's text is kept with the revision it
 * last changed in. `since` is exact for proxies serving any revision a part was computed after: a control plane
 * that starts without history marks every service as changed in its current revision, which only makes older
 * proxies download more.
 */
export interface SnapshotParts {
  revision: number;
  head: string;
  services: ReadonlyMap<string, ServicePart>;
}

/**
 * What a proxy serving revision `from` needs to build `revision`: the head, and every service key of `revision`
 * with its JSON text when it changed after `from`, null when the proxy's copy is current. Keys absent were removed.
 */
export interface SnapshotDelta {
  from: number;
  revision: number;
  head: string;
  services: Record<string, string | null>;
}

/** The parts of a newly compiled snapshot; services whose text equals the previous revision's keep their `since`. */
export function toParts(snapshot: SnapshotModel, previous: SnapshotParts | undefined): SnapshotParts {
  const { services, ...rest } = snapshot;
  const parts = new Map<string, ServicePart>();
  for (const [key, model] of Object.entries(services)) {
    const text = JSON.stringify(model);
    const prior = previous?.services.get(key);
    parts.set(key, prior !== undefined && prior.text === text ? prior : { text, since: snapshot.revision });
  }
  return { revision: snapshot.revision, head: JSON.stringify(rest), services: parts };
}

/** The parts of a stored snapshot's JSON, with no history: every service counts as changed in its revision. */
export function partsFromJson(json: string): SnapshotParts {
  const snapshot = JSON.parse(json) as SnapshotModel;
  return toParts(snapshot, undefined);
}

/** The whole snapshot as JSON text, assembled from the parts without serialising the services again. */
export function partsToJson(parts: SnapshotParts): string {
  const services: string[] = [];
  for (const [key, part] of parts.services) services.push(`${JSON.stringify(key)}:${part.text}`);
  // `head` is a JSON object with at least `format`: its closing brace makes room for `services`.
  return `${parts.head.slice(0, -1)},"services":{${services.join(",")}}}`;
}

/**
 * The delta for a proxy serving `from`, or null when the parts cannot describe it: `from` must be older than the
 * parts' revision (a proxy that claims a newer one — a reset control plane — gets the whole snapshot).
 */
export function deltaSince(parts: SnapshotParts, from: number): SnapshotDelta | null {
  if (!Number.isSafeInteger(from) || from < 0 || from >= parts.revision) return null;
  const services: Record<string, string | null> = {};
  for (const [key, part] of parts.services) services[key] = part.since > from ? part.text : null;
  return { from, revision: parts.revision, head: parts.head, services };
}
