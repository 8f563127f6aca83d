import { describe, expect, it } from "vitest";
import { randomBytes } from "./random-pool";

describe("randomBytes (the proxy's pooled CSPRNG)", () => {
  it("returns the bytes asked for, fresh on every draw, across pool refills", () => {
    const seen = new Set<string>();
    // 4 KiB per pool: 2,000 draws of 16 bytes refill it several times.
    for (let i = 0; i < 2_000; i++) {
      const bytes = randomBytes(i % 2 === 0 ? 16 : 8);
      expect(bytes).toHaveLength(i % 2 === 0 ? 16 : 8);
      seen.add(Array.from(bytes).join(","));
    }
    expect(seen.size).toBe(2_000);
  });

  it("reuses one array per length: a caller reads the bytes at once", () => {
    const first = randomBytes(16);
    const copy = Array.from(first);
    const second = randomBytes(16);
    expect(second).toBe(first);
    expect(Array.from(second)).not.toEqual(copy);
    expect(randomBytes(8)).not.toBe(first);
  });

  it("serves draws larger than the pool", () => {
    expect(randomBytes(5_000)).toHaveLength(5_000);
  });
});
