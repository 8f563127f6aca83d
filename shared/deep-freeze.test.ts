import { describe, expect, it } from "vitest";
import { deepFreeze } from "./deep-freeze";

describe("deepFreeze", () => {
  it("freezes the value and everything it holds, and returns it", () => {
    const value = { a: { b: [1, { c: "x" }] }, d: null };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
    expect(() => {
      (value.a.b[1] as { c: string }).c = "y";
    }).toThrow(TypeError);
  });

  it("leaves scalars alone and stops at what is already frozen", () => {
    expect(deepFreeze(3)).toBe(3);
    const inner = { x: 1 };
    const shell = Object.freeze({ inner });
    deepFreeze(shell);
    expect(Object.isFrozen(inner)).toBe(false);
  });
});
