// URL rewrite: the Gateway API ReplacePrefixMatch table, Istio literal prefix rewrite, full path, regex.
import { describe, expect, it } from "vitest";
import { compileRegexRewrite, replacePrefixMatch, rewritePath } from "./rewrite";

describe("ReplacePrefixMatch, segment-wise (Gateway API table)", () => {
  // [prefix as matched (trailing slash already dropped), request path, replacement, expected]
  it.each([
    ["/foo", "/foo/bar", "/xyz", "/xyz/bar"],
    ["/foo", "/foo/bar", "/xyz/", "/xyz/bar"],
    ["/foo", "/foo", "/xyz", "/xyz"],
    ["/foo", "/foo/", "/xyz", "/xyz/"],
    ["/foo", "/foo", "", "/"],
    ["/foo", "/foo/", "", "/"],
    ["/foo", "/foo", "/", "/"],
    ["/foo", "/foo/", "/", "/"],
    ["/foo", "/foo/bar", "/", "/bar"],
    ["", "/foo/bar", "/xyz", "/xyz/foo/bar"],
  ])("prefix %s, path %s, replacement %j → %s", (prefix, path, replacement, expected) => {
    expect(replacePrefixMatch(path, { value: prefix, segmentWise: true }, replacement)).toBe(expected);
  });
});

describe("ReplacePrefixMatch, plain prefix (Istio rewrite.uri)", () => {
  it.each([
    ["/v1", "/v1abc", "/v2", "/v2abc"],
    ["/foo/", "/foo/bar", "/", "/bar"],
    ["/foo", "/foo", "", "/"],
  ])("prefix %s, path %s, replacement %j → %s", (prefix, path, replacement, expected) => {
    expect(replacePrefixMatch(path, { value: prefix, segmentWise: false }, replacement)).toBe(expected);
  });

  it("replaces the whole path when the route did not match by prefix", () => {
    expect(replacePrefixMatch("/reviews/0", null, "/v2/reviews")).toBe("/v2/reviews");
  });
});

describe("rewritePath", () => {
  it("leaves the path alone without a rewrite", () => {
    expect(rewritePath(undefined, "/a", null, null)).toBe("/a");
  });
  it("ReplaceFullPath", () => {
    expect(rewritePath({ type: "ReplaceFullPath", value: "/new" }, "/old/x", null, null)).toBe("/new");
  });
  it("RegexReplace with RE2-style group references", () => {
    const rx = compileRegexRewrite("^/service/([^/]+)(/.*)$", "\\2/instance/\\1");
    expect(rx).not.toBeNull();
    expect(rewritePath({ type: "RegexReplace", value: "", pattern: "" }, "/service/foo/v1/api", null, rx)).toBe(
      "/v1/api/instance/foo",
    );
  });
  it("RegexReplace replaces every match and keeps literal dollars", () => {
    const rx = compileRegexRewrite("a", "$");
    expect(rewritePath({ type: "RegexReplace", value: "" }, "/banana", null, rx)).toBe("/b$n$n$");
  });
  it("an uncompilable regex leaves the path unchanged", () => {
    expect(compileRegexRewrite("(", "x")).toBeNull();
    expect(rewritePath({ type: "RegexReplace", value: "" }, "/a", null, null)).toBe("/a");
  });
});
