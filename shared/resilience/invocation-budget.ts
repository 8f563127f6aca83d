// Keeps retries inside the platform's 32 Worker invocations per request: a budget travels down the
// call chain in a header and each proxy grants retries only out of its share of it.

/** Cloudflare Workers: one incoming request may invoke at most 32 Workers (service bindings included). */
export const INVOCATION_LIMIT = 32;

/**
 * Invocations the receiver of a request (and everything it triggers) may still use. The proxy sets it on
 * every request it sends to a `{worker}` endpoint; Workers forward it on their mesh calls like trace
 * headers. Only trusted on egress (a call from a mesh Worker); ingress requests start a fresh platform
 * budget, so the header is ignored there and a client can neither raise nor lower it.
 */
export const INVOCATION_BUDGET_HEADER = "x-mesh-invocation-budget";

/**
 * The budget of the proxy invocation handling this request, itself included.
 * - ingress: 32 (a new request on the platform).
 * - egress: the header value forwarded by the calling Worker, minus that Worker's own invocation. A Worker
 *   that does not forward the header is assumed to have been invoked directly (32 − 1).
 */
export function readInvocationBudget(headerValue: string | null | undefined, origin: "ingress" | "egress"): number {
  if (origin === "ingress") return INVOCATION_LIMIT;
  const text = headerValue?.trim() ?? "";
  const parsed = /^\d{1,3}$/.test(text) ? Number(text) : INVOCATION_LIMIT;
  return Math.max(0, Math.min(parsed, INVOCATION_LIMIT) - 1);
}

export interface TryPlan {
  /** Upper bound on tries (first try included) that the budget allows; never below 1. */
  maxTries: number;
  /** Value of INVOCATION_BUDGET_HEADER for each try's request. */
  childBudget: number;
}

/**
 * Invocations each try's subtree must keep before a retry is granted: the Worker tried, plus two more
 * service hops without retries (Worker + its egress proxy, twice).
 */
export const MIN_SHARE_PER_TRY = 5;

/**
 * Splits what is left after this proxy's own invocation evenly between the tries it may make, granting a
 * retry only while every try's share stays ≥ MIN_SHARE_PER_TRY. Deeper proxies get smaller shares and so
 * fewer retries; retries disappear before the platform limit is reached. The first try is always made
 * (refusing it would fail the request for certain, while the platform might still have room). `fetch` to
 * a URL endpoint is a subrequest, not a Worker invocation (`endpointsAreWorkers: false`): the budget does
 * not cap those tries.
 *
 * Guarantee: a request whose call chain is at most three services deep (edge → A → B → C, as Bookinfo's
 * productpage → reviews → ratings) stays within 32 invocations whatever the retry settings, even if every
 * try at every level fails as late as possible. In practice the edge proxy keeps Istio's default 2
 * retries and the proxies below retry only when the edge did not (retries at one level, as Linkerd
 * advises); longer chains may still exceed the limit, as they would without retries.
 * Known limit: a Worker that fans out (calls two services) forwards the same budget to both branches,
 * so parallel branches are not bounded together.
 */
export function planTries(budget: number, attempts: number, endpointsAreWorkers = true): TryPlan {
  const wanted = Math.max(1, Math.floor(attempts) + 1);
  const available = Math.max(0, Math.floor(budget) - 1);
  if (!endpointsAreWorkers) return { maxTries: wanted, childBudget: available };
  const maxTries = Math.max(1, Math.min(wanted, Math.floor(available / MIN_SHARE_PER_TRY)));
  return { maxTries, childBudget: Math.floor(available / maxTries) };
}
