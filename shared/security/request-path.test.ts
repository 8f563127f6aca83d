// Path normalization: what authorization matches is what the service receives.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeRequestPath, normalizeSlowly } from "./request-path";

describe("normalizeRequestPath", () => {
  it.each([
    ["/productpage", "/productpage"],
    ["/a/b?x=1#f", "/a/b"],
    ["", "/"],
    ["a/b", "/a/b"],
    ["/public/../admin", "/admin"],
    ["/a/./b/", "/a/b/"],
    ["/a/b/..", "/a/"],
    ["/..", "/"],
    ["/../../etc/passwd", "/etc/passwd"],
    ["/%61dmin", "/admin"],
    ["/%2e%2e/admin", "/admin"],
    ["/public/%2E%2E/admin", "/admin"],
    ["/a%2fb", "/a%2Fb"],
    ["/a%20b", "/a%20b"],
    ["/a%7eb", "/a~b"],
    ["/a//b", "/a//b"],
    ["/100%", "/100%"],
  ])("%j → %j", (raw, expected) => expect(normalizeRequestPath(raw)).toBe(expected));

  it.each([
    ["/a//b///c", { mergeSlashes: true }, "/a/b/c"],
    ["/admin%2Fsecret", { decodeSlashes: true }, "/admin/secret"],
    ["/x%2F%2F..%2Fadmin", { decodeSlashes: true }, "/admin"],
  ])("%j with %j → %j", (raw, options, expected) => expect(normalizeRequestPath(raw, options)).toBe(expected));
});

describe("normalizeRequestPath fast path", () => {
  it("returns what the full normalization returns, for any path and options (property)", () => {
    const segment = fc.constantFrom(
      "a",
      "admin",
      ".",
      "..",
      "",
      "%2e",
      "%2F",
      "%61",
      "x.y",
      "..a",
      "~b",
      "%zz",
      "?q=1",
      "#f",
    );
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (segments, leadingSlash, mergeSlashes, decodeSlashes) => {
          const path = (leadingSlash ? "/" : "") + segments.join("/");
          const options = { mergeSlashes, decodeSlashes };
          expect(normalizeRequestPath(path, options)).toBe(normalizeSlowly(path, options));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
