// Linkerd-style retry budget per proxy isolate: retries may add at most `percent` of the recent request
// volume plus a small floor, so a failing upstream never sees a retry storm.
import { RESILIENCE_DEFAULTS } from "../model/resilience";

export interface RetryBudgetConfig {
  /** Retries allowed per 100 original requests in the window; default 20. */
  percent?: number;
  /** Retries always allowed per second of window, however little traffic; default 10. */
  minRetriesPerSecond?: number;
  /** Sliding window; default 10 000 ms. */
  windowMs?: number;
  /** Ring granularity; default 10 buckets (1 s each with the default window). */
  buckets?: number;
}

/** Fixed-size ring of per-bucket counters plus running totals: O(1) memory and O(1) amortized updates. */
export interface RetryBudgetState {
  readonly percent: number;
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly requests: number[];
  readonly retries: number[];
  /** Absolute index (floor(now / bucketMs)) of the newest bucket; -Infinity before the first event. */
  head: number;
  totalRequests: number;
  totalRetries: number;
}

export function createRetryBudget(config: RetryBudgetConfig = {}): RetryBudgetState {
  const d = RESILIENCE_DEFAULTS.retryBudget;
  const windowMs = Math.max(1, config.windowMs ?? d.windowMs);
  const buckets = Math.max(1, Math.floor(config.buckets ?? 10));
  return {
    percent: Math.max(0, config.percent ?? d.percent),
    minRetriesPerSecond: Math.max(0, config.minRetriesPerSecond ?? d.minRetriesPerSecond),
    windowMs,
    bucketMs: Math.max(1, Math.ceil(windowMs / buckets)),
    requests: new Array<number>(buckets).fill(0),
    retries: new Array<number>(buckets).fill(0),
    head: Number.NEGATIVE_INFINITY,
    totalRequests: 0,
    totalRetries: 0,
  };
}

/** Counts one original request (not a retry). Call once per request entering the retry stage. */
export function recordRequest(state: RetryBudgetState, nowMs: number): void {
  const slot = advance(state, nowMs);
  state.requests[slot] = state.requests[slot]! + 1;
  state.totalRequests++;
}

/**
 * Spends one retry if the budget allows it: retries in the window + 1 must stay within
 * `percent`% of requests in the window + `minRetriesPerSecond` × window seconds. Returns false (and
 * spends nothing) when exhausted; the budget recovers as old buckets leave the window.
 */
export function tryWithdrawRetry(state: RetryBudgetState, nowMs: number): boolean {
  const slot = advance(state, nowMs);
  // Scaled by 100 × 1000 so that integer settings compare exactly.
  const allowed = state.percent * state.totalRequests * 1000 + state.minRetriesPerSecond * state.windowMs * 100;
  if ((state.totalRetries + 1) * 100_000 > allowed) return false;
  state.retries[slot] = state.retries[slot]! + 1;
  state.totalRetries++;
  return true;
}

/** Retries still available right now (for metrics and tests). */
export function remainingRetries(state: RetryBudgetState, nowMs: number): number {
  advance(state, nowMs);
  const allowed = (state.percent * state.totalRequests) / 100 + (state.minRetriesPerSecond * state.windowMs) / 1000;
  return Math.max(0, Math.floor(allowed + 1e-9) - state.totalRetries);
}

/** Moves the ring to `nowMs`, zeroing buckets that fell out of the window; returns the current slot. */
function advance(state: RetryBudgetState, nowMs: number): number {
  const size = state.requests.length;
  const index = Math.floor(nowMs / state.bucketMs);
  if (index > state.head) {
    // Only the buckets between the old head and now are stale; at most `size` of them.
    const from = Number.isFinite(state.head) ? Math.max(state.head + 1, index - size + 1) : index - size + 1;
    for (let i = from; i <= index; i++) {
      const slot = mod(i, size);
      state.totalRequests -= state.requests[slot]!;
      state.totalRetries -= state.retries[slot]!;
      state.requests[slot] = 0;
      state.retries[slot] = 0;
    }
    state.head = index;
  }
  // A clock that steps backwards (Workers freeze time between I/O) counts into the newest bucket.
  return mod(state.head, size);
}

function mod(i: number, n: number): number {
  return ((i % n) + n) % n;
}
