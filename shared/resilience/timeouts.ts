// Effective timeouts of a request: which setting wins, the per-try bound, and the time left.

export interface TimeoutSources {
  /** Route: VirtualService `timeout`, HTTPRoute `timeouts.request`. 0 = disabled, no fall-back. */
  routeMs?: number;
  /** TrafficPolicy `timeouts.request`. 0 = disabled, no fall-back. */
  serviceMs?: number;
  /** MeshConfig `defaultTimeout`. 0 or absent = none. */
  meshMs?: number;
  /**
   * Per-try candidates, most specific first (e.g. retry `perTryTimeout`, HTTPRoute `backendRequest`,
   * TrafficPolicy `timeouts.perTry`); the first positive one wins.
   */
  perTryMs?: readonly (number | undefined)[];
}

export interface ResolvedTimeouts {
  /** Whole request, retries and back-off included; null = none (Istio's default). */
  requestMs: number | null;
  /** Each upstream try; never more than requestMs; null = bounded only by the request timeout. */
  perTryMs: number | null;
}

/** Route beats TrafficPolicy beats MeshConfig; the first one set decides, even when it says 0 (off). */
export function resolveTimeouts(sources: TimeoutSources): ResolvedTimeouts {
  const chosen = sources.routeMs ?? sources.serviceMs ?? sources.meshMs;
  const requestMs = chosen !== undefined && chosen > 0 ? chosen : null;
  const perTry = (sources.perTryMs ?? []).find((v): v is number => v !== undefined && v > 0);
  const perTryMs = perTry === undefined ? null : requestMs === null ? perTry : Math.min(perTry, requestMs);
  return { requestMs, perTryMs };
}

/**
 * Absolute deadline of a request whose retry stage starts at `startMs`. As in Envoy, the clock starts
 * after an injected fault delay, which therefore never causes a timeout by itself.
 */
export function requestDeadline(startMs: number, timeouts: ResolvedTimeouts): number | null {
  return timeouts.requestMs === null ? null : startMs + timeouts.requestMs;
}

/** Milliseconds left before the deadline (0 when passed), Infinity without one. */
export function remainingBudget(deadlineMs: number | null, nowMs: number): number {
  return deadlineMs === null ? Number.POSITIVE_INFINITY : Math.max(0, deadlineMs - nowMs);
}

/**
 * The timer to arm for the next try: the per-try timeout, or what is left of the request when that is
 * sooner. `cause` tells which one fired (pass it as `timedOut` to classifyOutcome): a per-try timeout may
 * be retried, a request timeout ends the request with 504 `upstream_timeout`. Null: no timer.
 */
export function tryTimeout(
  timeouts: ResolvedTimeouts,
  deadlineMs: number | null,
  nowMs: number,
): { ms: number; cause: "per-try" | "request" } | null {
  const left = remainingBudget(deadlineMs, nowMs);
  if (timeouts.perTryMs !== null && timeouts.perTryMs < left) return { ms: timeouts.perTryMs, cause: "per-try" };
  return Number.isFinite(left) ? { ms: left, cause: "request" } : null;
}
