// Local token bucket: burst, continuous refill, exact Retry-After.
import { describe, expect, it } from "vitest";
import { createTokenBucket, tryTake } from "./token-bucket";

const takeN = (b: ReturnType<typeof createTokenBucket>, n: number, t: number) =>
  Array.from({ length: n }, () => tryTake(b, t).allowed).filter(Boolean).length;

describe("token bucket", () => {
  it("starts full: burst defaults to requestsPerUnit", () => {
    const b = createTokenBucket({ requestsPerUnit: 10, unit: "second" }, 0);
    expect(takeN(b, 15, 0)).toBe(10);
  });

  it.each([
    [{ requestsPerUnit: 10, unit: "second", burst: 3 }, 3],
    [{ requestsPerUnit: 10, unit: "second", burst: 0 }, 10],
    [{ requestsPerUnit: 2, unit: "minute", burst: 50 }, 50],
    [{ requestsPerUnit: 1, unit: "hour" }, 1],
  ] as const)("%j allows %d at once", (limit, n) => expect(takeN(createTokenBucket(limit, 0), 100, 0)).toBe(n));

  it("refills continuously and never above the burst", () => {
    const b = createTokenBucket({ requestsPerUnit: 10, unit: "second" }, 0);
    takeN(b, 10, 0);
    expect(tryTake(b, 99).allowed).toBe(false);
    expect(tryTake(b, 100)).toEqual({ allowed: true, remaining: 0 });
    expect(takeN(b, 10, 350)).toBe(2);
    expect(takeN(b, 100, 60_000)).toBe(10);
  });

  it.each([
    [{ requestsPerUnit: 10, unit: "second" }, 0, 1],
    [{ requestsPerUnit: 1, unit: "second" }, 0, 1],
    [{ requestsPerUnit: 1, unit: "minute" }, 0, 60],
    [{ requestsPerUnit: 1, unit: "minute" }, 30_000, 30],
    [{ requestsPerUnit: 1, unit: "minute" }, 59_001, 1],
    [{ requestsPerUnit: 2, unit: "hour" }, 0, 1800],
  ] as const)("%j empty, asked %d ms later → Retry-After %d s", (limit, later, seconds) => {
    const b = createTokenBucket(limit, 0);
    takeN(b, 1000, 0);
    expect(tryTake(b, later)).toEqual({ allowed: false, retryAfterSeconds: seconds });
  });

  it("a frozen or backwards clock adds nothing", () => {
    const b = createTokenBucket({ requestsPerUnit: 1, unit: "second" }, 1_000);
    expect(tryTake(b, 1_000).allowed).toBe(true);
    expect(tryTake(b, 500).allowed).toBe(false);
    expect(tryTake(b, 1_999).allowed).toBe(false);
    expect(tryTake(b, 2_000).allowed).toBe(true);
  });

  it("stays exact over a long run: 10/s for an hour admits 36 000 + burst", () => {
    const b = createTokenBucket({ requestsPerUnit: 10, unit: "second" }, 0);
    let admitted = 0;
    for (let t = 0; t <= 3_600_000; t += 5) if (tryTake(b, t).allowed) admitted++;
    expect(admitted).toBe(36_000 + 10);
  });
});
