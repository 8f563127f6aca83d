// Rate-limit units in milliseconds, shared by the local token bucket and the global window counter.
import type { RateUnit } from "../model/resilience";

export const UNIT_MS: Readonly<Record<RateUnit, number>> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

/** Seconds for a `Retry-After` header: whole seconds, rounded up, at least 1 (0 would invite a retry now). */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
