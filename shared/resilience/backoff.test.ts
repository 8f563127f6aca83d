// Back-off: exponential ceiling, full jitter, caps and floors, distribution of the draws.
import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";
import { fixedRandom, seededRandom } from "./testing/prng";

const LOW = fixedRandom(0);
const HIGH = fixedRandom(0.999999);

describe("backoffDelay bounds (Envoy defaults: base 25 ms, max 250 ms)", () => {
  it.each([
    [1, 25],
    [2, 75],
    [3, 175],
    [4, 250],
    [5, 250],
    [60, 250],
  ])("retry %d: delay in [0, %d]", (retry, upper) => {
    expect(backoffDelay(retry, {}, LOW)).toBe(0);
    expect(backoffDelay(retry, {}, HIGH)).toBe(upper);
  });

  it.each([
    [{ baseMs: 100 }, 3, 700],
    [{ baseMs: 100 }, 5, 1000],
    [{ baseMs: 100, maxMs: 150 }, 2, 150],
    [{ baseMs: 10, maxMs: 5 }, 1, 10],
  ])("%j retry %d: ceiling %d", (options, retry, upper) => {
    expect(backoffDelay(retry, options, HIGH)).toBe(upper);
  });

  it("honours a floor (Gateway API backoff is a minimum)", () => {
    expect(backoffDelay(1, { baseMs: 100, minMs: 100 }, LOW)).toBe(100);
    expect(backoffDelay(2, { baseMs: 100, minMs: 100 }, LOW)).toBe(100);
    expect(backoffDelay(2, { baseMs: 100, minMs: 100 }, HIGH)).toBe(300);
    expect(backoffDelay(1, { baseMs: 10, maxMs: 20, minMs: 50 }, HIGH)).toBe(50);
  });

  it.each([[NaN], [1], [7], [-3]])("clamps a faulty random source returning %d", (r) => {
    const d = backoffDelay(2, {}, () => r);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThanOrEqual(75);
  });

  it("treats retry numbers below 1 as the first retry", () => {
    expect(backoffDelay(0, {}, HIGH)).toBe(25);
  });
});

describe("backoffDelay distribution", () => {
  it("is uniform over [0, ceiling]: mean ≈ ceiling / 2, both halves hit evenly, every draw in range", () => {
    const random = seededRandom(42);
    const n = 10_000;
    let sum = 0;
    let low = 0;
    for (let i = 0; i < n; i++) {
      const d = backoffDelay(3, {}, random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(175);
      expect(Number.isInteger(d)).toBe(true);
      sum += d;
      if (d < 88) low++;
    }
    expect(sum / n).toBeGreaterThan(87.5 - 3);
    expect(sum / n).toBeLessThan(87.5 + 3);
    expect(low / n).toBeGreaterThan(0.48);
    expect(low / n).toBeLessThan(0.52);
  });
});
