// The product catalogue and how productpage gathers a product's details and reviews through the mesh.

import { callService, type CallResult } from "../../lib/call-service";
import type { DemoEnv } from "../../lib/env";

export interface Product {
  id: number;
  title: string;
  descriptionHtml: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 0,
    title: "The Comedy of Errors",
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];

/** Upstream productpage waits 3 s per call... */
const CALL_TIMEOUT_MS = 3_000;
/** ...and tries `reviews` twice: a bug kept on purpose, the Istio fault-injection and timeout tasks show it. */
const REVIEWS_TRIES = 2;

export function findProduct(id: number): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

/** `GET details/details/{id}` through the mesh. */
export function fetchDetails(env: Pick<DemoEnv, "MESH">, id: number, incoming: Headers): Promise<CallResult> {
  return callService(env, `http://details/details/${id}`, incoming, { timeoutMs: CALL_TIMEOUT_MS });
}

/** `GET reviews/reviews/{id}` through the mesh, tried twice like upstream. */
export async function fetchReviews(env: Pick<DemoEnv, "MESH">, id: number, incoming: Headers): Promise<CallResult> {
  let result: CallResult | undefined;
  for (let attempt = 0; attempt < REVIEWS_TRIES; attempt++) {
    result = await callService(env, `http://reviews/reviews/${id}`, incoming, { timeoutMs: CALL_TIMEOUT_MS });
    if (result.ok) return result;
  }
  return result as CallResult;
}

/** `GET ratings/ratings/{id}` through the mesh (upstream's `/api/v1/products/{id}/ratings`). */
export function fetchRatings(env: Pick<DemoEnv, "MESH">, id: number, incoming: Headers): Promise<CallResult> {
  return callService(env, `http://ratings/ratings/${id}`, incoming, { timeoutMs: CALL_TIMEOUT_MS });
}

/** A dependency's answer as embedded in productpage's JSON: its body, or `{status, error}`. */
export function embed(result: CallResult): Record<string, unknown> {
  return result.ok ? result.body : { status: result.status, error: result.error };
}
