// httpbin /status/{codes}: single, uniform and weighted choices; malformed specs refused.
import { describe, expect, it } from "vitest";
import { chooseStatus } from "./status";

describe("chooseStatus", () => {
  it.each([
    ["200", 0.5, 200],
    ["503", 0, 503],
    ["200,500", 0.49, 200],
    ["200,500", 0.5, 500],
    ["200:0.9,503:0.1", 0.89, 200],
    ["200:0.9,503:0.1", 0.95, 503],
    ["200:0,503:1", 0, 503],
    ["418", 0.999, 418],
  ])("%s with random %s → %s", (spec, random, expected) => {
    expect(chooseStatus(spec, random)).toBe(expected);
  });

  it.each(["", "abc", "99", "600", "200:-1", "200:x", "200:0", "1e3"])("refuses %j", (spec) => {
    expect(chooseStatus(spec, 0.5)).toBeNull();
  });
});
