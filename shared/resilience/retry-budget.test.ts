// Retry budget: 20% of requests + 10/s over 10 s, exhaustion under a storm and recovery as time passes.
import { describe, expect, it } from "vitest";
import { createRetryBudget, recordRequest, remainingRetries, tryWithdrawRetry } from "./retry-budget";

const withdrawAll = (state: ReturnType<typeof createRetryBudget>, nowMs: number): number => {
  let n = 0;
  while (tryWithdrawRetry(state, nowMs)) n++;
  return n;
};

describe("retry budget", () => {
  it("defaults: 20 % of requests plus 10 retries per second over 10 s", () => {
    const b = createRetryBudget();
    for (let i = 0; i < 1000; i++) recordRequest(b, 5_000);
    expect(remainingRetries(b, 5_000)).toBe(200 + 100);
    expect(withdrawAll(b, 5_000)).toBe(300);
  });

  it.each([
    [{ percent: 20, minRetriesPerSecond: 0 }, 10, 2],
    [{ percent: 20, minRetriesPerSecond: 0 }, 14, 2],
    [{ percent: 20, minRetriesPerSecond: 0 }, 15, 3],
    [{ percent: 50, minRetriesPerSecond: 0 }, 3, 1],
    [{ percent: 0, minRetriesPerSecond: 1 }, 1000, 10],
    [{ percent: 0, minRetriesPerSecond: 0 }, 1000, 0],
    [{ percent: 100, minRetriesPerSecond: 0 }, 7, 7],
  ])("%j with %d requests allows %d retries", (cfg, requests, expected) => {
    const b = createRetryBudget(cfg);
    for (let i = 0; i < requests; i++) recordRequest(b, 0);
    expect(withdrawAll(b, 0)).toBe(expected);
  });

  it("refuses once exhausted and recovers as old buckets leave the window", () => {
    const b = createRetryBudget({ percent: 20, minRetriesPerSecond: 0, windowMs: 10_000 });
    for (let i = 0; i < 100; i++) recordRequest(b, 0);
    expect(withdrawAll(b, 0)).toBe(20);
    expect(tryWithdrawRetry(b, 500)).toBe(false);
    // New traffic earns new retries (20 per 100).
    for (let i = 0; i < 50; i++) recordRequest(b, 5_000);
    expect(withdrawAll(b, 5_000)).toBe(10);
    // At 10 s the first second's requests and retries are gone: 50 requests, 10 retries remain counted.
    expect(remainingRetries(b, 10_000)).toBe(0);
    for (let i = 0; i < 50; i++) recordRequest(b, 10_000);
    expect(withdrawAll(b, 10_000)).toBe(10);
    // Long after, everything is forgotten.
    expect(remainingRetries(b, 100_000)).toBe(0);
    recordRequest(b, 100_000);
    expect(b.totalRequests).toBe(1);
    expect(b.totalRetries).toBe(0);
  });

  it("a storm of failing requests never gets more than 20 % + floor extra load", () => {
    const b = createRetryBudget();
    let requests = 0;
    let retries = 0;
    // 200 requests/s for 60 s, each wanting 2 retries.
    for (let t = 0; t < 60_000; t += 5) {
      recordRequest(b, t);
      requests++;
      for (let k = 0; k < 2; k++) if (tryWithdrawRetry(b, t)) retries++;
    }
    // Over any 10 s: 2000 requests → ≤ 400 + 100 retries; over 60 s at most 6 windows' worth.
    expect(retries).toBeLessThanOrEqual(6 * 500);
    expect(retries / requests).toBeGreaterThan(0.2);
    expect(retries / requests).toBeLessThan(0.26);
  });

  it("counts a clock that steps back into the newest bucket", () => {
    const b = createRetryBudget({ percent: 100, minRetriesPerSecond: 0 });
    recordRequest(b, 5_000);
    recordRequest(b, 4_000);
    expect(b.totalRequests).toBe(2);
    expect(withdrawAll(b, 3_000)).toBe(2);
  });

  it("keeps O(1) memory: the ring has a fixed number of buckets", () => {
    const b = createRetryBudget({ buckets: 5 });
    for (let t = 0; t < 1_000_000; t += 997) recordRequest(b, t);
    expect(b.requests.length).toBe(5);
    expect(b.totalRequests).toBe(b.requests.reduce((a, n) => a + n, 0));
  });
});
