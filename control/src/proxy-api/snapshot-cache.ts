// The isolate's copy of the current revision and snapshot, shared by every proxy poll for a short time.
import type { SnapshotParts } from "../../../shared/model/snapshot-parts";

export const DEFAULT_CACHE_MS = 250;
/** A forced refresh (a proxy reports a revision newer than the cache) happens at most this often. */
const MIN_FORCED_GAP_MS = 50;

export class SnapshotCache<T extends { revision: number }> {
  private entry: { value: T; fetchedAt: number } | undefined;
  private inflight: Promise<T> | undefined;
  /** Bumped by `clear`, so that a load started before a change cannot refill the cache with what preceded it. */
  private generation = 0;

  /**
   * The cached snapshot while younger than `ttlMs`, else one load (single-flight: concurrent callers share it).
   * `load` gets the cached value, which it may return as is when the revision has not changed. `atLeast` is a
   * revision the caller has already seen: a cache older than that is reloaded.
   */
  async get(load: (cached: T | undefined) => Promise<T>, now: number, ttlMs: number, atLeast?: number): Promise<T> {
    const entry = this.entry;
    if (entry) {
      const age = now - entry.fetchedAt;
      const behind = atLeast !== undefined && atLeast > entry.value.revision && age >= MIN_FORCED_GAP_MS;
      if (age < ttlMs && !behind) return entry.value;
    }
    if (this.inflight) return this.inflight;
    const generation = this.generation;
    const loading = load(entry?.value)
      .then((snapshot) => {
        if (generation === this.generation) this.entry = { value: snapshot, fetchedAt: now };
        return snapshot;
      })
      .finally(() => {
        if (this.inflight === loading) this.inflight = undefined;
      });
    this.inflight = loading;
    return loading;
  }

  clear(): void {
    this.generation++;
    this.entry = undefined;
    this.inflight = undefined;
  }
}

/** A revision's snapshot as parts (shared/model/snapshot-parts.ts), with its whole JSON made once when asked for. */
export interface CachedSnapshot {
  revision: number;
  parts: SnapshotParts;
  json?: string;
}

/** The isolate-wide cache used by ProxyApi. */
export const snapshotCache = new SnapshotCache<CachedSnapshot>();

/** Drops the isolate's cached snapshot after a change made through this isolate, so its proxies see it at once. */
export function invalidateSnapshotCache(): void {
  snapshotCache.clear();
}

/** The cache lifetime: env `MESH_CONTROL_CACHE_MS` when it is a sane number, else 250 ms. */
export function cacheMs(value: string | undefined): number {
  const parsed = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(parsed) && parsed >= 0 && parsed <= 60_000
    ? parsed
    : DEFAULT_CACHE_MS;
}
