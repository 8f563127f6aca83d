// What `reviews` answers for each version: v1 without stars, v2 black stars, v3 red stars (from `ratings`).

import type { CallResult } from "../../lib/call-service";

export interface Review {
  reviewer: string;
  text: string;
  rating?: { stars: number; color: string } | { error: string };
}

const REVIEWS: ReadonlyArray<{ reviewer: string; text: string }> = [
  {
    reviewer: "Reviewer1",
    text: "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!",
  },
  {
    reviewer: "Reviewer2",
    text: "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.",
  },
];

/** The star colour a version shows, or null for a version that does not call `ratings` (v1 and unknown ones). */
export function starColor(version: string): string | null {
  if (version === "v2") return "black";
  if (version === "v3") return "red";
  return null;
}

/** Upstream's timeouts for the ratings call: 10 s for black stars, 2.5 s for red (it matters in the Istio tasks). */
export function ratingsTimeoutMs(color: string): number {
  return color === "black" ? 10_000 : 2_500;
}

/** The reviews list, with each reviewer's stars taken from the ratings answer when there is one. */
export function buildReviews(color: string | null, ratings: CallResult | null): Review[] {
  return REVIEWS.map((review) => {
    if (color === null) return { ...review };
    const stars = ratings?.ok ? starsOf(ratings.body, review.reviewer) : undefined;
    return stars === undefined
      ? { ...review, rating: { error: "Ratings service is currently unavailable" } }
      : { ...review, rating: { stars, color } };
  });
}

function starsOf(body: Record<string, unknown>, reviewer: string): number | undefined {
  const ratings = body["ratings"];
  if (ratings === null || typeof ratings !== "object") return undefined;
  const stars = (ratings as Record<string, unknown>)[reviewer];
  return typeof stars === "number" ? stars : undefined;
}
