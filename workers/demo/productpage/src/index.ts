// Bookinfo `productpage`: the HTML page and JSON API, built from `details` and `reviews` called through the mesh.

import type { DemoEnv } from "../../lib/env";
import { health, jsonResponse, notFound } from "../../lib/json-response";
import { embed, fetchDetails, fetchRatings, fetchReviews, findProduct, PRODUCTS } from "./products";
import { renderProductPage } from "./render";

async function productPage(request: Request, env: DemoEnv): Promise<Response> {
  const product = PRODUCTS[0]!;
  const [details, reviews] = await Promise.all([
    fetchDetails(env, product.id, request.headers),
    fetchReviews(env, product.id, request.headers),
  ]);
  const html = renderProductPage({
    product,
    details,
    reviews,
    user: request.headers.get("end-user"),
    service: env.SERVICE,
    version: env.VERSION,
  });
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

async function productApi(request: Request, env: DemoEnv, id: number, part: string | undefined): Promise<Response> {
  const product = findProduct(id);
  if (!product) return jsonResponse(env, { error: "product not found", id }, 404);
  switch (part) {
    case undefined: {
      const [details, reviews] = await Promise.all([
        fetchDetails(env, id, request.headers),
        fetchReviews(env, id, request.headers),
      ]);
      return jsonResponse(env, { id, title: product.title, details: embed(details), reviews: embed(reviews) });
    }
    case "reviews":
      return jsonResponse(env, { id, reviews: embed(await fetchReviews(env, id, request.headers)) });
    case "ratings":
      return jsonResponse(env, { id, ratings: embed(await fetchRatings(env, id, request.headers)) });
    default:
      return notFound(env, request);
  }
}

export default {
  async fetch(request, env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return health(env);
    if (pathname === "/" || pathname === "/index.html") {
      return new Response(null, { status: 302, headers: { location: "/productpage" } });
    }
    if (pathname === "/productpage") return productPage(request, env);
    if (pathname === "/api/v1/products") return jsonResponse(env, { products: PRODUCTS });
    const match = /^\/api\/v1\/products\/(-?\d+)(?:\/(\w+))?$/.exec(pathname);
    if (match) return productApi(request, env, Number(match[1]), match[2]);
    return notFound(env, request);
  },
} satisfies ExportedHandler<DemoEnv>;
