// Global limit helpers: keys, windows, sliding estimate, decision and Retry-After.
import { describe, expect, it } from "vitest";
import {
  decideGlobal,
  globalLimitKey,
  globalWindowKey,
  slidingCount,
  windowBounds,
  type RateLimitFacts,
} from "./global-rate-limit";

const facts = (over: Partial<RateLimitFacts> = {}): RateLimitFacts => ({
  principal: "cluster.local/ns/default/sa/productpage",
  clientIp: "203.0.113.9",
  header: (name) => (name === "x-user" ? "jason" : null),
  ...over,
});

describe("globalLimitKey", () => {
  it.each([
    [undefined, "default/reviews"],
    [{ header: "X-User" }, "default/reviews|header:x-user=jason"],
    [{ header: "x-missing" }, "default/reviews|header:x-missing=-"],
    [{ principal: true as const }, "default/reviews|principal=cluster.local%2Fns%2Fdefault%2Fsa%2Fproductpage"],
    [{ clientIp: true as const }, "default/reviews|ip=203.0.113.9"],
  ])("%j → %s", (key, expected) => {
    const limit =
      key === undefined
        ? { requestsPerUnit: 5, unit: "second" as const }
        : { requestsPerUnit: 5, unit: "second" as const, key };
    expect(globalLimitKey("default/reviews", limit, facts())).toBe(expected);
  });

  it("anonymous callers share one counter, and long values are bounded", () => {
    const limit = { requestsPerUnit: 5, unit: "minute" as const, key: { principal: true as const } };
    expect(globalLimitKey("ns/s", limit, facts({ principal: null }))).toBe("ns/s|principal=-");
    const long = globalLimitKey(
      "ns/s",
      { ...limit, key: { header: "x-user" } },
      facts({ header: () => "x".repeat(5000) }),
    );
    expect(long.length).toBeLessThan(300);
  });
});

describe("windows", () => {
  it.each([
    [0, "second", 0, 1000, 0],
    [1_500, "second", 1000, 2000, 0.5],
    [90_000, "minute", 60_000, 120_000, 0.5],
    [3_600_000 + 900_000, "hour", 3_600_000, 7_200_000, 0.25],
  ] as const)("%d ms in %s → [%d, %d), elapsed %d", (now, unit, startMs, endMs, elapsed) => {
    expect(windowBounds(now, unit)).toEqual({ startMs, endMs, elapsed });
  });

  it("names one counter per key and window", () => {
    expect(globalWindowKey("ns/s|ip=1", 61_000, "minute")).toBe("ns/s|ip=1@minute:60000");
    expect(globalWindowKey("ns/s|ip=1", 119_999, "minute")).toBe(globalWindowKey("ns/s|ip=1", 60_000, "minute"));
  });

  it("sliding count weighs the previous window by what is still inside the look-back", () => {
    expect(slidingCount(100, 10, 60_000, "minute")).toBe(110);
    expect(slidingCount(100, 10, 90_000, "minute")).toBe(60);
    expect(slidingCount(100, 10, 119_400, "minute")).toBeCloseTo(11, 6);
  });
});

describe("decideGlobal", () => {
  it.each([
    [1, 5, { allowed: true, remaining: 4 }],
    [5, 5, { allowed: true, remaining: 0 }],
    [6, 5, { allowed: false, retryAfterSeconds: 31 }],
    [5.5, 5, { allowed: false, retryAfterSeconds: 31 }],
  ])("count %d of %d at 29.5 s into the minute → %j", (count, limit, expected) => {
    expect(decideGlobal(count, limit, 60_000 + 29_500, "minute")).toEqual(expected);
  });

  it("never answers Retry-After 0", () =>
    expect(decideGlobal(2, 1, 999, "second")).toEqual({ allowed: false, retryAfterSeconds: 1 }));
});
