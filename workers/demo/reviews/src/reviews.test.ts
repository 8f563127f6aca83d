// What each reviews version answers, with and without a ratings answer.
import { describe, expect, it } from "vitest";
import { buildReviews, ratingsTimeoutMs, starColor } from "./reviews";

const ratingsOk = { ok: true as const, status: 200, body: { ratings: { Reviewer1: 5, Reviewer2: 4 } } };
const ratingsDown = { ok: false as const, status: 500, error: { code: "fault_injected", message: "fault" } };

describe("reviews versions", () => {
  it.each([
    ["v1", null],
    ["v2", "black"],
    ["v3", "red"],
    ["v9", null],
  ])("%s shows %s stars", (version, color) => {
    expect(starColor(version)).toBe(color);
  });

  it("keeps upstream's ratings timeouts (10 s black, 2.5 s red)", () => {
    expect(ratingsTimeoutMs("black")).toBe(10_000);
    expect(ratingsTimeoutMs("red")).toBe(2_500);
  });

  it("v1 reviews carry no rating", () => {
    expect(buildReviews(null, null).every((r) => r.rating === undefined)).toBe(true);
  });

  it("v3 reviews carry red stars from ratings", () => {
    expect(buildReviews("red", ratingsOk).map((r) => r.rating)).toEqual([
      { stars: 5, color: "red" },
      { stars: 4, color: "red" },
    ]);
  });

  it("says ratings are unavailable when the ratings call failed", () => {
    expect(buildReviews("black", ratingsDown).map((r) => r.rating)).toEqual([
      { error: "Ratings service is currently unavailable" },
      { error: "Ratings service is currently unavailable" },
    ]);
  });
});
