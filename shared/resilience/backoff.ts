// Exponential back-off with full jitter between retries (Envoy's algorithm and defaults).
import { RESILIENCE_DEFAULTS } from "../model/resilience";
import { draw, type Random01 } from "./random";

export interface BackoffOptions {
  /** Base interval; default 25 ms. */
  baseMs?: number;
  /** Cap; default 10 × baseMs. */
  maxMs?: number;
  /** Floor (Gateway API `backoff` is a minimum); default 0. */
  minMs?: number;
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry). The delay is uniform in
 * [minMs, min(maxMs, baseMs × (2^retry − 1))]: 0–25, 0–75, 0–175, then capped at 250 with defaults.
 * Full jitter (rather than a fixed exponential) spreads retries from many clients so a recovering
 * upstream does not see them arrive in lockstep.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random01: Random01): number {
  const baseMs = Math.max(1, options.baseMs ?? RESILIENCE_DEFAULTS.backoffBaseMs);
  const maxMs = Math.max(baseMs, options.maxMs ?? baseMs * RESILIENCE_DEFAULTS.backoffMaxFactor);
  const minMs = Math.max(0, options.minMs ?? 0);
  // 2^31 already exceeds any sane cap; clamping the exponent keeps the arithmetic finite.
  const n = Math.min(Math.max(1, Math.floor(retry)), 31);
  const upper = Math.max(minMs, Math.min(maxMs, baseMs * (2 ** n - 1)));
  return Math.min(upper, minMs + Math.floor(draw(random01) * (upper - minMs + 1)));
}
