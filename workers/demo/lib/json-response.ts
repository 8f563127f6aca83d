// JSON responses stamped with the answering service and version, as every demo answer is.

import type { DemoEnv } from "./env";

export type Identity = Pick<DemoEnv, "SERVICE" | "VERSION">;

/** `{service, version, ...body}` as JSON with `status` (default 200). */
export function jsonResponse(
  env: Identity,
  body: Record<string, unknown>,
  status = 200,
  headers: HeadersInit = {},
): Response {
  const out = new Headers(headers);
  out.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify({ service: env.SERVICE, version: env.VERSION, ...body }, null, 2), {
    status,
    headers: out,
  });
}

/** The demo's own 404 for a path it does not serve (not a mesh error: the service itself answers). */
export function notFound(env: Identity, request: Request): Response {
  return jsonResponse(env, { error: "not found", path: new URL(request.url).pathname }, 404);
}

/** `GET /health`, answered by every demo service. */
export function health(env: Identity): Response {
  return jsonResponse(env, { status: "ok" });
}
