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
  /** The first revision these parts know the history from: every `since` is at least `base`. */
  base: number;
  /**
   * `generatedAt` of each revision from `base` on. A proxy's revision number alone does not say which history it
   * came from (a control plane whose storage was reset counts again): its `generatedAt` must match too.
   */
  generated: ReadonlyMap<number, string>;
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

/** JSON of frozen service models (the compiler hands out the same frozen model for an unchanged Service). */
const texts = new WeakMap<object, string>();

function textOf(model: object): string {
  if (!Object.isFrozen(model)) return JSON.stringify(model);
  let text = texts.get(model);
  if (text === undefined) {
    text = JSON.stringify(model);
    texts.set(model, text);
  }
  return text;
}

/** The parts of a newly compiled snapshot; services whose text equals the previous revision's keep their `since`. */
export function toParts(snapshot: SnapshotModel, previous: SnapshotParts | undefined): SnapshotParts {
  const { services, ...rest } = snapshot;
  // Parts of another history (the previous revision is not the one before) share nothing with these.
  const prev = previous !== undefined && previous.revision < snapshot.revision ? previous : undefined;
  const parts = new Map<string, ServicePart>();
  for (const [key, model] of Object.entries(services)) {
    const text = textOf(model);
    const prior = prev?.services.get(key);
    parts.set(key, prior !== undefined && prior.text === text ? prior : { text, since: snapshot.revision });
  }
  const generated = new Map(prev?.generated ?? []);
  generated.set(snapshot.revision, snapshot.generatedAt);
  // Bounded: a proxy further behind than this gets the whole snapshot.
  for (const revision of generated.keys()) {
    if (generated.size <= MAX_KNOWN_REVISIONS) break;
    generated.delete(revision);
  }
  return {
    revision: snapshot.revision,
    head: JSON.stringify(rest),
    services: parts,
    base: prev?.base ?? snapshot.revision,
    generated,
  };
}

const MAX_KNOWN_REVISIONS = 10_000;

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
 * The delta for a proxy serving `from`, generated at `fromGeneratedAt`, or null when the parts cannot describe it
 * (the proxy then gets the whole snapshot): `from` must be older than the parts' revision, and — unless it predates
 * what the parts know, when every service is sent anyway — be the revision of this history that the parts recorded.
 */
export function deltaSince(parts: SnapshotParts, from: number, fromGeneratedAt: string | null): SnapshotDelta | null {
  if (!Number.isSafeInteger(from) || from < 0 || from >= parts.revision) return null;
  if (from >= parts.base && parts.generated.get(from) !== fromGeneratedAt) return null;
  const services: Record<string, string | null> = {};
  for (const [key, part] of parts.services) services[key] = part.since > from ? part.text : null;
  return { from, revision: parts.revision, head: parts.head, services };
}
