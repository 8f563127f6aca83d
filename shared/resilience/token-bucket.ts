// Local rate limit per proxy isolate: a token bucket refilled continuously at requestsPerUnit per unit.
import type { LocalRateLimitModel } from "../model/resilience";
import { retryAfterSeconds, UNIT_MS } from "./rate-unit";

/**
 * Tokens are kept scaled by the unit length (one token = `unitMs` scaled units, refill = requestsPerUnit
 * scaled units per ms) so that integer times give exact integer arithmetic: no drift after millions of
 * requests, and tests can assert exact boundaries.
 */
export interface TokenBucket {
  readonly capacity: number;
  readonly refillPerMs: number;
  readonly cost: number;
  scaled: number;
  lastMs: number;
}

export type TakeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** A full bucket. `burst` (bucket size) absent or 0 means requestsPerUnit. */
export function createTokenBucket(limit: LocalRateLimitModel, nowMs: number): TokenBucket {
  const unitMs = UNIT_MS[limit.unit];
  const burst = limit.burst !== undefined && limit.burst > 0 ? limit.burst : limit.requestsPerUnit;
  const capacity = burst * unitMs;
  return { capacity, refillPerMs: limit.requestsPerUnit, cost: unitMs, scaled: capacity, lastMs: nowMs };
}

/** Takes one token for one request; when empty, says how long until the next token (for `Retry-After`). */
export function tryTake(bucket: TokenBucket, nowMs: number): TakeResult {
  refill(bucket, nowMs);
  if (bucket.scaled >= bucket.cost) {
    bucket.scaled -= bucket.cost;
    return { allowed: true, remaining: Math.floor(bucket.scaled / bucket.cost) };
  }
  const waitMs = Math.ceil((bucket.cost - bucket.scaled) / bucket.refillPerMs);
  return { allowed: false, retryAfterSeconds: retryAfterSeconds(waitMs) };
}

function refill(bucket: TokenBucket, nowMs: number): void {
  // Time frozen or stepping back (Workers advance the clock only across I/O): nothing to add.
  if (nowMs <= bucket.lastMs) return;
  bucket.scaled = Math.min(bucket.capacity, bucket.scaled + (nowMs - bucket.lastMs) * bucket.refillPerMs);
  bucket.lastMs = nowMs;
}
