// Endpoint and backend choice: weighted random, smooth weighted round robin, consistent hash, subsets.
import { describe, expect, it } from "vitest";
import { pickByHash } from "./consistent-hash";
import { createRoundRobinState, nextRoundRobin } from "./round-robin";
import { filterEndpointsBySubset } from "./subset";
import { chooseWeighted } from "./weighted";

const w = (...weights: number[]) => weights.map((weight, i) => ({ id: `e${i}`, weight }));

describe("chooseWeighted", () => {
  it.each([
    [w(90, 10), 0, 0],
    [w(90, 10), 0.8999, 0],
    [w(90, 10), 0.9, 1],
    [w(90, 10), 0.999999999, 1],
    [w(0, 10), 0, 1],
    [w(10, 0), 0.99, 0],
    [w(0, 5, 0, 5), 0.6, 3],
    [w(0, 0), 0.5, null],
    [[], 0.5, null],
  ])("%j with %d → %j", (items, r, expected) => expect(chooseWeighted(items, r)).toBe(expected));

  it("returns a positive-weight item for any random value in [0, 1)", () => {
    for (let r = 0; r < 1; r += 0.001) expect([1, 3]).toContain(chooseWeighted(w(0, 1, 0, 2, 0), r));
  });
});

describe("nextRoundRobin", () => {
  const run = (items: { weight: number }[], n: number) => {
    const s = createRoundRobinState();
    return Array.from({ length: n }, () => nextRoundRobin(s, items));
  };
  it("rotates over equal weights", () => expect(run(w(1, 1, 1), 6)).toEqual([0, 1, 2, 0, 1, 2]));
  it("interleaves smoothly by weight", () => expect(run(w(5, 1, 1), 7)).toEqual([0, 0, 1, 0, 2, 0, 0]));
  it("skips zero weights", () => expect(run(w(0, 1, 1), 4)).toEqual([1, 2, 1, 2]));
  it("is null without a positive weight", () => expect(run(w(0, 0), 1)).toEqual([null]));
  it("resets when the endpoint list changes size", () => {
    const s = createRoundRobinState();
    nextRoundRobin(s, w(1, 1, 1));
    expect(nextRoundRobin(s, w(1, 1))).toBe(0);
  });
});

describe("pickByHash", () => {
  it("is stable for a key", () => {
    const eps = w(1, 1, 1, 1);
    const first = pickByHash("user-42", eps);
    for (let i = 0; i < 10; i++) expect(pickByHash("user-42", eps)).toBe(first);
  });
  it("spreads keys and respects weights", () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[pickByHash(`k${i}`, w(1, 1, 4))!]!++;
    expect(counts[0]! / 6000).toBeGreaterThan(0.12);
    expect(counts[0]! / 6000).toBeLessThan(0.21);
    expect(counts[2]! / 6000).toBeGreaterThan(0.6);
  });
  it("moves only the keys of a removed endpoint", () => {
    const all = w(1, 1, 1, 1);
    const without = all.filter((e) => e.id !== "e2");
    for (let i = 0; i < 500; i++) {
      const before = all[pickByHash(`k${i}`, all)!]!.id;
      const after = without[pickByHash(`k${i}`, without)!]!.id;
      if (before !== "e2") expect(after).toBe(before);
    }
  });
  it("is null without a positive weight", () => expect(pickByHash("k", w(0))).toBeNull());
});

describe("filterEndpointsBySubset", () => {
  const eps: { id: string; labels: Record<string, string> }[] = [
    { id: "a", labels: { version: "v1" } },
    { id: "b", labels: { version: "v2", zone: "x" } },
    { id: "c", labels: {} },
  ];
  it.each([
    [{ version: "v2" }, ["b"]],
    [{ version: "v2", zone: "y" }, []],
    [{}, ["a", "b", "c"]],
  ])("%j → %j", (selector, ids) => expect(filterEndpointsBySubset(eps, selector).map((e) => e.id)).toEqual(ids));
});
