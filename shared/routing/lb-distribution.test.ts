// Each load balancer's distribution over weighted endpoints, with seeded randomness so that runs are exact.
import { describe, expect, it } from "vitest";
import { pickByHash } from "./consistent-hash";
import { preferLocal } from "./locality";
import { createRoundRobinState, nextRoundRobin } from "./round-robin";
import { chooseWeighted } from "./weighted";

/** mulberry32: a tiny deterministic PRNG. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const endpoints = (...weights: number[]) => weights.map((weight, i) => ({ id: `ep-${i}`, weight }));
const shares = (counts: number[]) => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
};

function tally(n: number, size: number, pick: (i: number) => number | null): number[] {
  const counts = Array.from({ length: size }, () => 0);
  for (let i = 0; i < n; i++) {
    const index = pick(i);
    if (index === null) throw new Error("no pick");
    counts[index]!++;
  }
  return counts;
}

const CASES: [string, number[]][] = [
  ["equal", [1, 1, 1, 1]],
  ["90/10", [90, 10]],
  ["1/2/7", [1, 2, 7]],
  ["with a zero", [3, 0, 1]],
];

describe.each(CASES)("weights %s", (_name, weights) => {
  const eps = endpoints(...weights);
  const total = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => w / total);

  it("Random (weighted) lands within 1.5 points of each weight over 20,000 picks", () => {
    const random = rng(42);
    const got = shares(tally(20_000, eps.length, () => chooseWeighted(eps, random())));
    got.forEach((share, i) => expect(Math.abs(share - expected[i]!)).toBeLessThan(0.015));
  });

  it("RoundRobin (smooth weighted) is exact over every full cycle", () => {
    const state = createRoundRobinState();
    const counts = tally(total * 10, eps.length, () => nextRoundRobin(state, eps));
    expect(counts).toEqual(weights.map((w) => w * 10));
  });

  it("ConsistentHash spreads 20,000 seeded keys within 2 points of each weight", () => {
    const random = rng(7);
    const keys = Array.from({ length: 20_000 }, () => `user-${Math.floor(random() * 2 ** 32).toString(36)}`);
    const got = shares(tally(keys.length, eps.length, (i) => pickByHash(keys[i]!, eps)));
    got.forEach((share, i) => expect(Math.abs(share - expected[i]!)).toBeLessThan(0.02));
  });
});

describe("zone preference composes with every balancer", () => {
  const eps = [
    { id: "ams-1", weight: 1, zone: "AMS" },
    { id: "ams-2", weight: 3, zone: "AMS" },
    { id: "fra-1", weight: 4, zone: "FRA" },
  ];
  const view = preferLocal(eps, ["AMS"]);

  it("Random: only local endpoints, by their weights (1:3)", () => {
    const random = rng(1);
    const got = tally(8000, 3, () => chooseWeighted(view, random()));
    expect(got[2]).toBe(0);
    expect(Math.abs(got[1]! / 8000 - 0.75)).toBeLessThan(0.02);
  });

  it("RoundRobin: only local endpoints, exactly 1:3", () => {
    const state = createRoundRobinState();
    expect(tally(400, 3, () => nextRoundRobin(state, view))).toEqual([100, 300, 0]);
  });

  it("ConsistentHash: every key maps to a local endpoint", () => {
    const random = rng(3);
    const got = tally(4000, 3, () => pickByHash(`k${random()}`, view));
    expect(got[2]).toBe(0);
  });
});
