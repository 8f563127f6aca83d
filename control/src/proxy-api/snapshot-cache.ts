// The isolate's copy of the current revision and snapshot, shared by every proxy poll for a short time.
import type { StoredSnapshot } from "../storage/snapshot-store";

export const DEFAULT_CACHE_MS = 250;
/** A forced refresh (a proxy reports a revision newer than the cache) happens at most this often. */
const MIN_FORCED_GAP_MS = 50;

export class SnapshotCache {
  private entry: (StoredSnapshot & { fetchedAt: number }) | undefined;
  private inflight: Promise<StoredSnapshot> | undefined;
  /** Bumped by `clear`, so that a load started before a change cannot refill the cache with what preceded it. */
  private generation = 0;

  /**
   * The cached snapshot while younger than `ttlMs`, else one load (single-flight: concurrent callers share it).
   * `atLeast` is a revision the caller has already seen: a cache older than that is reloaded.
   */
  async get(
    load: () => Promise<StoredSnapshot>,
    now: number,
    ttlMs: number,
    atLeast?: number,
  ): Promise<StoredSnapshot> {
    const entry = this.entry;
    if (entry) {
      const age = now - entry.fetchedAt;
      const behind = atLeast !== undefined && atLeast > entry.revision && age >= MIN_FORCED_GAP_MS;
      if (age < ttlMs && !behind) return entry;
    }
    if (this.inflight) return this.inflight;
    const generation = this.generation;
    const loading = load()
      .then((snapshot) => {
        if (generation === this.generation) this.entry = { ...snapshot, fetchedAt: now };
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

/** The isolate-wide cache used by ProxyApi. */
export const snapshotCache = new SnapshotCache();

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
