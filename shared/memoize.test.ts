import { describe, expect, it } from "vitest";
import { memoizeByString } from "./memoize";

describe("memoizeByString", () => {
  it("computes each input once, null results included, and starts over at capacity", () => {
    const calls: string[] = [];
    const f = memoizeByString((k) => {
      calls.push(k);
      return k === "none" ? null : k.length;
    }, 3);
    expect([f("ab"), f("ab"), f("none"), f("none"), f("xyz")]).toEqual([2, 2, null, null, 3]);
    expect(calls).toEqual(["ab", "none", "xyz"]);
    f("four"); // a fourth input: the memo starts over with it
    f("ab");
    expect(calls).toEqual(["ab", "none", "xyz", "four", "ab"]);
  });
});
