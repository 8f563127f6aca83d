// Header mutations: remove, then set, then add.
import { describe, expect, it } from "vitest";
import { HeaderMutationModel } from "../model/snapshot";
import { applyHeaderMutation, type MutableHeaders } from "./header-mutation";

/** A Map-backed header bag, so the helper is tested without any runtime `Headers`. */
function bag(init: Record<string, string[]>): MutableHeaders & { entries: Map<string, string[]> } {
  const entries = new Map(Object.entries(init).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    entries,
    set: (n, v) => void entries.set(n.toLowerCase(), [v]),
    append: (n, v) => void entries.set(n.toLowerCase(), [...(entries.get(n.toLowerCase()) ?? []), v]),
    delete: (n) => void entries.delete(n.toLowerCase()),
  };
}

describe("applyHeaderMutation", () => {
  it("removes, sets and appends", () => {
    const h = bag({ "x-remove": ["1"], "x-set": ["old"], "x-add": ["a"] });
    applyHeaderMutation(
      h,
      HeaderMutationModel.parse({
        remove: ["X-Remove"],
        set: [{ name: "X-Set", value: "new" }],
        add: [{ name: "x-add", value: "b" }],
      }),
    );
    expect(Object.fromEntries(h.entries)).toEqual({ "x-set": ["new"], "x-add": ["a", "b"] });
  });
  it("a header removed and set ends up set", () => {
    const h = bag({ "x-a": ["1"] });
    applyHeaderMutation(h, HeaderMutationModel.parse({ remove: ["x-a"], set: [{ name: "x-a", value: "2" }] }));
    expect(h.entries.get("x-a")).toEqual(["2"]);
  });
  it("no mutation is a no-op", () => {
    const h = bag({ "x-a": ["1"] });
    applyHeaderMutation(h, undefined);
    expect(h.entries.get("x-a")).toEqual(["1"]);
  });
});
