// Bookinfo `reviews` (v1, v2, v3 from one codebase; the version comes from the VERSION var).

import { callService } from "../../lib/call-service";
import type { DemoEnv } from "../../lib/env";
import { health, jsonResponse, notFound } from "../../lib/json-response";
import { buildReviews, ratingsTimeoutMs, starColor } from "./reviews";

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return health(env);
    const match = /^\/reviews\/([^/]+)$/.exec(pathname);
    if (!match) return notFound(env, request);
    const id = match[1] ?? "";
    if (!Number.isInteger(Number(id))) return jsonResponse(env, { error: "please provide numeric product id" }, 400);

    const color = starColor(env.VERSION);
    const base = { id, podname: `${env.SERVICE}-${env.VERSION}`, clustername: "null" };
    if (color === null) return jsonResponse(env, { ...base, reviews: buildReviews(null, null) });

    const ratings = await callService(env, `http://ratings/ratings/${id}`, request.headers, {
      timeoutMs: ratingsTimeoutMs(color),
    });
    const embedded = ratings.ok ? ratings.body : { status: ratings.status, error: ratings.error };
    return jsonResponse(env, { ...base, reviews: buildReviews(color, ratings), ratings: embedded });
  },
} satisfies ExportedHandler<DemoEnv>;
