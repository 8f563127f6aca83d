import { describe, expect, it } from "vitest";
import { hasNestedQuantifier } from "./regex-safety";
import { regexError } from "./common";

describe("hasNestedQuantifier", () => {
  it.each(["(a+)+", "(a*)*", "(\\w+\\s?)*$", "^(a|aa)+(b+)+$", "((ab)*c+)+", "(x+){2,}", "(.*a)+?", "(a+)*b"])(
    "flags %s",
    (p) => expect(hasNestedQuantifier(p)).toBe(true),
  );
  it.each([
    "/api/v[0-9]+/items",
    "^/reviews/\\d+$",
    "(ab)*",
    "(a+){1,3}",
    "[(a+)+]",
    "\\(a+\\)+",
    "(?:foo|bar)+",
    "^(.*?;)?(user=jason)(;.*)?$",
    "a{2,5}",
    "(a+)?",
  ])("allows %s", (p) => expect(hasNestedQuantifier(p)).toBe(false));
});

describe("regexError", () => {
  it.each([
    ["[", /invalid regular expression/],
    ["(?i)jason", /\(\?i\)/],
    ["(a+)+$", /catastrophically/],
    ["x".repeat(1025), /longer than 1024/],
  ])("%s", (p, message) => expect(regexError(p)).toMatch(message));
  it("accepts a plain pattern", () => expect(regexError("^/v[12]/.*$")).toBeUndefined());
});
