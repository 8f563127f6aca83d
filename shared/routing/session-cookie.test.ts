// Consistent-hash cookies: reading the key, and the Set-Cookie that issues it.
import { describe, expect, it } from "vitest";
import { readCookie, sessionSetCookie } from "./session-cookie";

describe("readCookie", () => {
  it.each([
    [null, "s", null],
    ["", "s", null],
    ["s=abc", "s", "abc"],
    ["a=1; s=abc; b=2", "s", "abc"],
    ["a=1;s=abc", "s", "abc"],
    ["ss=abc", "s", null],
    ["s=", "s", ""],
    ["S=abc", "s", null],
    ["s=a=b", "s", "a=b"],
  ])("%j, %s → %j", (header, name, expected) => expect(readCookie(header, name)).toBe(expected));
});

describe("sessionSetCookie", () => {
  it.each([
    [{ name: "user", ttlSeconds: 3600, path: "/api" }, "user=v; Path=/api; Max-Age=3600; HttpOnly"],
    [{ name: "user", ttlSeconds: 0 }, "user=v; Path=/; HttpOnly"],
    [{ name: "user" }, "user=v; Path=/; HttpOnly"],
    [{ name: "user", ttlSeconds: 1.5 }, "user=v; Path=/; Max-Age=1; HttpOnly"],
  ])("%j", (cookie, expected) => expect(sessionSetCookie(cookie, "v")).toBe(expected));
});
