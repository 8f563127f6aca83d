import { describe, expect, it } from "vitest";
import { hostToKey, resolveHost } from "./resolve-host";

const keys = new Set(["default/reviews", "prod/reviews", "prod/ratings"]);

describe("resolveHost", () => {
  it.each([
    ["reviews", "default", "default/reviews"],
    ["reviews", "prod", "prod/reviews"],
    ["reviews.prod", "default", "prod/reviews"],
    ["reviews.prod.svc", "default", "prod/reviews"],
    ["reviews.prod.svc.cluster.local", "default", "prod/reviews"],
    ["Reviews.Default.svc.cluster.local.", "prod", "default/reviews"],
    ["ratings", "default", undefined],
    ["ratings.prod", "default", "prod/ratings"],
    ["*", "default", undefined],
    ["*.prod.svc.cluster.local", "default", undefined],
    ["reviews.example.com", "default", undefined],
    ["reviews.prod.svc.other.domain", "default", undefined],
    ["", "default", undefined],
  ])("%j from %s → %s", (host, ns, expected) => expect(resolveHost(host, ns, keys)).toBe(expected));

  it("names the key even when no such service exists", () => {
    expect(hostToKey("details.shop", "default")).toBe("shop/details");
  });
});
