// RateLimitShard: one shard of the global rate-limit counters (bound into the proxy as RATE_LIMIT). Counters
// are fixed windows kept in memory for two windows; the proxy combines the last two into a sliding estimate.
// An evicted shard forgets its counts (it only ever errs towards letting requests through).
import { DurableObject } from "cloudflare:workers";

const MAX_KEY_CHARS = 1024;
/** Bounds memory: beyond this many live counters, expired ones are swept at once. */
const SWEEP_AT = 10_000;
const MAX_TTL_MS = 2 * 3_600_000;

interface Counter {
  count: number;
  expiresAtMs: number;
}

export class RateLimitShard extends DurableObject {
  private readonly counters = new Map<string, Counter>();
  private nextSweepMs = 0;

  /** Adds one to `current` and returns it with the count of `previous` (the window before). */
  hit(current: unknown, previous: unknown, ttlMs: unknown): { current: number; previous: number } {
    if (typeof current !== "string" || typeof previous !== "string" || current.length > MAX_KEY_CHARS) {
      throw new TypeError("hit: window keys must be strings");
    }
    const ttl = typeof ttlMs === "number" && ttlMs > 0 ? Math.min(ttlMs, MAX_TTL_MS) : 60_000;
    const now = Date.now();
    this.sweep(now);
    let counter = this.counters.get(current);
    if (counter === undefined || counter.expiresAtMs <= now) {
      counter = { count: 0, expiresAtMs: now + ttl };
      this.counters.set(current, counter);
    }
    counter.count++;
    const before = this.counters.get(previous);
    return { current: counter.count, previous: before !== undefined && before.expiresAtMs > now ? before.count : 0 };
  }

  private sweep(now: number): void {
    if (now < this.nextSweepMs && this.counters.size < SWEEP_AT) return;
    this.nextSweepMs = now + 60_000;
    for (const [key, c] of this.counters) if (c.expiresAtMs <= now) this.counters.delete(key);
  }
}
