// The literal start of a regex: what the route lookup checks a header against before running the regex itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileFullMatch, regexLiteralPrefix } from "./matchers";

describe("regexLiteralPrefix", () => {
  it.each([
    ["t3-[a-z]+", "t3-"],
    ["canary", "canary"],
    ["ab?c", "a"],
    ["ab*", "a"],
    ["v1{2}", "v"],
    ["x\\.y", "x"],
    ["a|b", ""],
    ["(a)b", ""],
    [".*", ""],
    ["^x", ""],
    ["/api/v[0-9]+", "/api/v"],
  ])("%s → %j", (source, prefix) => {
    expect(regexLiteralPrefix(source)).toBe(prefix);
  });

  it("is a start of every string the (full-match) regex matches", () => {
    const atom = fc.constantFrom(
      "a",
      "b",
      "t",
      "1",
      "-",
      "/",
      ".",
      "[ab]",
      "\\.",
      "(a|b)",
      "|",
      "x?",
      "y*",
      "z+",
      "c{1,2}",
    );
    const source = fc.array(atom, { minLength: 1, maxLength: 6 }).map((a) => a.join(""));
    const text = fc.array(fc.constantFrom("a", "b", "t", "1", "-", "/", ".", "x", "y", "z", "c"), { maxLength: 8 });
    fc.assert(
      fc.property(source, text, (src, chars) => {
        const regex = compileFullMatch(src);
        const s = chars.join("");
        if (regex !== null && regex.test(s)) expect(s.startsWith(regexLiteralPrefix(src))).toBe(true);
      }),
      { numRuns: 3000, seed: 20261127 },
    );
  });
});
