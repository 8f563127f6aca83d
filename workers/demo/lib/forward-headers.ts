// Which request headers a demo service copies onto its calls to other services (as Bookinfo does).

/** Exact header names propagated downstream: the end user, request id, W3C and B3 trace context, credentials. */
const PROPAGATED = new Set([
  "end-user",
  "x-request-id",
  "traceparent",
  "tracestate",
  "b3",
  "x-ot-span-context",
  "authorization",
  "cookie",
  "user-agent",
  // The platform's per-request invocation budget the edge proxy has left, so nested proxies retry within it.
  "x-mesh-invocation-budget",
]);

/** True when `name` (any case) is propagated. B3 multi-header (`x-b3-traceid`, `x-b3-spanid`, ...) goes by prefix. */
export function isPropagated(name: string): boolean {
  const lower = name.toLowerCase();
  return PROPAGATED.has(lower) || lower.startsWith("x-b3-");
}

/**
 * The headers for an outbound call made while serving `incoming`. Identity headers are never copied:
 * the mesh derives the caller from the egress binding, not from anything the caller forwards.
 */
export function forwardHeaders(incoming: Headers): Headers {
  const out = new Headers();
  incoming.forEach((value, name) => {
    if (isPropagated(name)) out.set(name, value);
  });
  return out;
}
