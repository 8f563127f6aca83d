// Istio path patterns (wildcards, {*} / {**} templates) and host patterns.
import { describe, expect, it } from "vitest";
import { compileIstioHost, compileIstioPath, compilePathTemplate, hostWithoutPort } from "./authz-path";

describe("compileIstioPath", () => {
  it.each([
    ["/productpage", "/productpage", true],
    ["/productpage", "/productpage/", false],
    ["/api/*", "/api/v1/x", true],
    ["/api/*", "/api", false],
    ["*.html", "/index.html", true],
    ["*", "/anything", true],
    ["/foo/{*}", "/foo/bar", true],
    ["/foo/{*}", "/foo/bar/baz", false],
    ["/foo/{*}", "/foo/", false],
    ["/foo/{*}/bar/{**}", "/foo/buzz/bar/bat", true],
    ["/foo/{*}/bar/{**}", "/foo/buzz/bar/bat/more", true],
    ["/foo/{*}/bar/{**}", "/foo/buzz/bar/", false],
    ["/foo/{**}/x.txt", "/foo/a/b/x.txt", true],
    ["/foo/{**}/x.txt", "/foo/x.txt", false],
    ["/v1.0/{*}", "/v1x0/a", false], // literal parts are escaped
  ])("%s ~ %s → %s", (pattern, path, expected) => expect(compileIstioPath(pattern)?.(path)).toBe(expected));

  it.each(["/foo/{**}/{*}", "/foo{*}", "/foo/{**}/{**}", "foo/{*}", "/a/*/{*}"])("invalid template %s", (t) => {
    expect(compilePathTemplate(t)).toBeNull();
    expect(compileIstioPath(t)).toBeNull();
  });
});

describe("hosts", () => {
  it.each([
    ["reviews.localhost:8787", "reviews.localhost"],
    ["Reviews.LOCALHOST", "reviews.localhost"],
    ["[::1]:8080", "[::1]"],
    ["[::1]", "[::1]"],
    ["example.com:", "example.com"],
  ])("hostWithoutPort(%s) = %s", (authority, expected) => expect(hostWithoutPort(authority)).toBe(expected));

  it.each([
    ["bookinfo.com", "bookinfo.com", true],
    ["bookinfo.com", "BookInfo.com:8080", true],
    ["Bookinfo.COM", "bookinfo.com", true],
    ["*.bookinfo.com", "api.bookinfo.com:443", true],
    ["bookinfo.com:8080", "bookinfo.com:8080", true],
    ["bookinfo.com:8080", "bookinfo.com:9090", false],
    ["bookinfo.com", "evilbookinfo.com", false],
  ])("%s ~ %s → %s", (pattern, authority, expected) => {
    const m = compileIstioHost(pattern);
    expect(m(authority.toLowerCase(), hostWithoutPort(authority))).toBe(expected);
  });
});
