// The productpage HTML: product summary, details table and reviews with stars (pure string rendering).

import type { CallResult } from "../../lib/call-service";
import type { Product } from "./products";

export interface PageInput {
  product: Product;
  details: CallResult;
  reviews: CallResult;
  /** The `end-user` header, shown as the signed-in user. */
  user: string | null;
  service: string;
  version: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `★★★★☆` for 4 stars out of 5, in the reviewer's colour. */
export function renderStars(stars: number, color: string): string {
  const full = Math.max(0, Math.min(5, Math.round(stars)));
  return `<span class="stars" style="color: ${escapeHtml(color)}">${"★".repeat(full)}${"☆".repeat(5 - full)}</span>`;
}

function renderDetails(details: CallResult): string {
  if (!details.ok) {
    return `<h4 class="error">Error fetching product details!</h4><p class="error-detail">${escapeHtml(details.error.message)}</p>`;
  }
  const rows = ["type", "pages", "publisher", "language", "ISBN-10", "ISBN-13"]
    .filter((key) => details.body[key] !== undefined)
    .map((key) => `<dt>${escapeHtml(key)}:</dt><dd>${escapeHtml(details.body[key])}</dd>`);
  return `<h4>Book Details</h4><dl>${rows.join("")}</dl>`;
}

function renderRating(rating: unknown): string {
  if (rating === null || typeof rating !== "object") return "";
  const r = rating as { stars?: unknown; color?: unknown; error?: unknown };
  if (typeof r.stars === "number") return renderStars(r.stars, typeof r.color === "string" ? r.color : "black");
  if (typeof r.error === "string") return `<p class="rating-error">${escapeHtml(r.error)}</p>`;
  return "";
}

function renderReviews(reviews: CallResult): string {
  if (!reviews.ok) {
    return `<h4 class="error">Sorry, product reviews are currently unavailable for this book.</h4><p class="error-detail">${escapeHtml(reviews.error.message)}</p>`;
  }
  const list = Array.isArray(reviews.body["reviews"]) ? (reviews.body["reviews"] as unknown[]) : [];
  const items = list.map((item) => {
    const r = (item ?? {}) as { reviewer?: unknown; text?: unknown; rating?: unknown };
    return `<blockquote><p>${escapeHtml(r.text ?? "")}</p><small>${escapeHtml(r.reviewer ?? "")}</small>${renderRating(r.rating)}</blockquote>`;
  });
  const servedBy = `${String(reviews.body["service"] ?? "reviews")}-${String(reviews.body["version"] ?? "?")}`;
  return `<h4>Book Reviews</h4>${items.join("")}<dl><dt>Reviews served by:</dt><dd class="served-by">${escapeHtml(servedBy)}</dd></dl>`;
}

/** The whole page. Only `descriptionHtml` (our own constant) is inserted unescaped. */
export function renderProductPage(input: PageInput): string {
  const { product, user } = input;
  const reviewsVersion = input.reviews.ok ? String(input.reviews.body["version"] ?? "") : "";
  const signedIn = user ? `<p class="user">Signed in as <b>${escapeHtml(user)}</b></p>` : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Simple Bookstore App</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem}.error{color:#a00}
.columns{display:flex;gap:3rem}.columns>div{flex:1}blockquote{border-left:3px solid #ccc;margin:1rem 0;padding-left:1rem}
.stars{font-size:1.3rem}</style></head>
<body data-service="${escapeHtml(input.service)}" data-version="${escapeHtml(input.version)}" data-reviews-version="${escapeHtml(reviewsVersion)}">
<header><h1>BookInfo Sample</h1>${signedIn}</header>
<h2 class="title">${escapeHtml(product.title)}</h2>
<p>${product.descriptionHtml}</p>
<div class="columns"><div class="details">${renderDetails(input.details)}</div>
<div class="reviews">${renderReviews(input.reviews)}</div></div>
</body>
</html>
`;
}
