// Bookinfo `details`: the book's facts (author, year, ISBN...) for one product id.

import type { DemoEnv } from "../../lib/env";
import { health, jsonResponse, notFound } from "../../lib/json-response";

/** The same book every id, as in upstream Bookinfo. */
export function bookDetails(id: number): Record<string, unknown> {
  return {
    id,
    author: "William Shakespeare",
    year: 1595,
    type: "paperback",
    pages: 200,
    publisher: "PublisherA",
    language: "English",
    "ISBN-10": "1234567890",
    "ISBN-13": "123-1234567890",
  };
}

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return health(env);
    const match = /^\/details\/([^/]+)$/.exec(pathname);
    if (!match) return notFound(env, request);
    const id = Number(match[1]);
    if (!Number.isInteger(id)) return jsonResponse(env, { error: "please provide numeric product id" }, 400);
    return jsonResponse(env, bookDetails(id));
  },
} satisfies ExportedHandler<DemoEnv>;
