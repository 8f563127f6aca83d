// Bookinfo `ratings`: the stars each reviewer gave one product.

import type { DemoEnv } from "../../lib/env";
import { health, jsonResponse, notFound } from "../../lib/json-response";

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return health(env);
    const match = /^\/ratings\/([^/]+)$/.exec(pathname);
    if (!match) return notFound(env, request);
    const id = Number(match[1]);
    if (!Number.isInteger(id)) return jsonResponse(env, { error: "please provide numeric product id" }, 400);
    return jsonResponse(env, { id, ratings: { Reviewer1: 5, Reviewer2: 4 } });
  },
} satisfies ExportedHandler<DemoEnv>;
