import { describe, expect, it } from "vitest";
import { groupByKeys } from "./group-by-keys";

describe("groupByKeys", () => {
  it("lists each item under every key it names, once, in list order, skipping undefined", () => {
    const items = [
      { id: "a", keys: ["x", "y", "x"] },
      { id: "b", keys: [undefined, "y"] },
      { id: "c", keys: [] },
    ];
    const grouped = groupByKeys(items, (i) => i.keys);
    expect([...grouped].map(([k, list]) => [k, list.map((i) => i.id)])).toEqual([
      ["x", ["a"]],
      ["y", ["a", "b"]],
    ]);
  });
});
