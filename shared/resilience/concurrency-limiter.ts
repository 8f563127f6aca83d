// Circuit breaker of one destination, per proxy isolate: at most N requests in flight, up to P waiting,
// the rest refused at once (Envoy's `UO` overflow). The queue is tickets; the shell owns the promises.

export interface ConcurrencyLimits {
  /** Requests in flight to the destination; absent = unlimited. */
  maxConcurrentRequests?: number;
  /** Requests waiting for a slot; absent = unlimited (as Istio), 0 = no queue. */
  maxPendingRequests?: number;
}

export interface LimiterState {
  limits: ConcurrencyLimits;
  active: number;
  /** Waiting tickets in arrival order (a Set keeps insertion order and deletes in O(1)). */
  readonly queue: Set<number>;
  nextTicket: number;
}

export type AcquireResult = { decision: "active" } | { decision: "queued"; ticket: number } | { decision: "overflow" };

export function createLimiter(limits: ConcurrencyLimits = {}): LimiterState {
  return { limits: { ...limits }, active: 0, queue: new Set(), nextTicket: 1 };
}

/**
 * Asks for a slot. `active`: go ahead, and call `release` when the upstream try ends (response headers
 * received, or failed). `queued`: wait until `release`/`setLimits` returns this ticket, or call `cancel`
 * when the request gives up. `overflow`: answer 503 `circuit_open`, flag `UO`, without trying.
 * Requests beyond the active limit queue first (Envoy's pending requests), then overflow.
 */
export function tryAcquire(state: LimiterState): AcquireResult {
  // Earlier waiters go first: a new request must not overtake the queue even if a slot looks free.
  if (state.queue.size === 0 && state.active < maxActive(state)) {
    state.active++;
    return { decision: "active" };
  }
  const maxPending = state.limits.maxPendingRequests ?? Number.POSITIVE_INFINITY;
  if (state.queue.size < maxPending) {
    const ticket = state.nextTicket++;
    state.queue.add(ticket);
    return { decision: "queued", ticket };
  }
  return { decision: "overflow" };
}

/**
 * Gives a slot back. Returns the ticket that now holds it (the shell resolves that waiter, which then
 * proceeds as `active`), or null when nobody was waiting or the limit was lowered below the load.
 */
export function release(state: LimiterState): number | null {
  if (state.active <= 0) return null;
  const first = state.active - 1 < maxActive(state) ? firstTicket(state) : null;
  if (first === null) {
    state.active--;
    return null;
  }
  // The slot passes straight to the waiter: `active` stays the same.
  state.queue.delete(first);
  return first;
}

/**
 * Removes a waiting ticket (its request timed out or was cancelled). Returns false when the ticket was
 * already promoted: the request then holds a slot and must `release` it.
 */
export function cancel(state: LimiterState, ticket: number): boolean {
  return state.queue.delete(ticket);
}

/**
 * Applies new limits from a config revision without dropping in-flight requests. Returns the tickets that
 * a raised limit lets through at once; a lowered limit takes effect as requests finish.
 */
export function setLimits(state: LimiterState, limits: ConcurrencyLimits): number[] {
  state.limits = { ...limits };
  const woken: number[] = [];
  for (let t = firstTicket(state); t !== null && state.active < maxActive(state); t = firstTicket(state)) {
    state.queue.delete(t);
    state.active++;
    woken.push(t);
  }
  return woken;
}

function maxActive(state: LimiterState): number {
  return state.limits.maxConcurrentRequests ?? Number.POSITIVE_INFINITY;
}

function firstTicket(state: LimiterState): number | null {
  for (const t of state.queue) return t;
  return null;
}
