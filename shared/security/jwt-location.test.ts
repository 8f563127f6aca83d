// Where end-user tokens are read from.
import { describe, expect, it } from "vitest";
import { JwtRuleModel } from "../model/security";
import {
  cookieValues,
  findToken,
  tokenLocationsOf,
  withoutCookies,
  type TokenLocation,
  type TokenSource,
} from "./jwt-location";

function source(headers: Record<string, string>, query = ""): TokenSource {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: { get: (n) => map.get(n.toLowerCase()) ?? null }, searchParams: new URLSearchParams(query) };
}

const defaults = tokenLocationsOf(JwtRuleModel.parse({ policy: "p", issuer: "i" }));
const custom: TokenLocation[] = tokenLocationsOf(
  JwtRuleModel.parse({
    policy: "p",
    issuer: "i",
    fromHeaders: [{ name: "X-Jwt-Assertion" }, { name: "x-auth", prefix: "Token " }],
    fromParams: ["jwt"],
    fromCookies: ["session"],
  }),
);

describe("tokenLocationsOf", () => {
  it("defaults to Authorization: Bearer and ?access_token", () =>
    expect(defaults).toEqual([
      { type: "header", name: "authorization", prefix: "Bearer " },
      { type: "param", name: "access_token" },
    ]));
  it("uses only the configured locations otherwise, header names lower-cased", () =>
    expect(custom).toEqual([
      { type: "header", name: "x-jwt-assertion", prefix: "" },
      { type: "header", name: "x-auth", prefix: "Token " },
      { type: "param", name: "jwt" },
      { type: "cookie", name: "session" },
    ]));
});

describe("findToken", () => {
  it.each<[string, TokenLocation[], TokenSource, object]>([
    [
      "Bearer",
      defaults,
      source({ authorization: "Bearer abc" }),
      { kind: "found", token: "abc", locations: [defaults[0]] },
    ],
    [
      "bearer (case-insensitive scheme)",
      defaults,
      source({ authorization: "bearer abc" }),
      { kind: "found", token: "abc" },
    ],
    ["Basic is not a token", defaults, source({ authorization: "Basic dXNlcjpwdw==" }), { kind: "none" }],
    ["empty Bearer", defaults, source({ authorization: "Bearer " }), { kind: "none" }],
    [
      "access_token param",
      defaults,
      source({}, "access_token=abc"),
      { kind: "found", token: "abc", locations: [defaults[1]] },
    ],
    [
      "same token twice is one token",
      defaults,
      source({ authorization: "Bearer abc" }, "access_token=abc"),
      { kind: "found", token: "abc", locations: defaults },
    ],
    [
      "two different tokens are ambiguous",
      defaults,
      source({ authorization: "Bearer abc" }, "access_token=xyz"),
      { kind: "ambiguous" },
    ],
    [
      "repeated param with different tokens",
      defaults,
      source({}, "access_token=a&access_token=b"),
      { kind: "ambiguous" },
    ],
    ["nothing", defaults, source({}), { kind: "none" }],
    ["custom header without prefix", custom, source({ "x-jwt-assertion": " abc " }), { kind: "found", token: "abc" }],
    ["custom prefix", custom, source({ "x-auth": "Token abc" }), { kind: "found", token: "abc" }],
    ["custom prefix missing", custom, source({ "x-auth": "abc" }), { kind: "none" }],
    ["Authorization ignored when not configured", custom, source({ authorization: "Bearer abc" }), { kind: "none" }],
    [
      "cookie",
      custom,
      source({ cookie: "a=1; session=abc; b=2" }),
      { kind: "found", token: "abc", locations: [{ type: "cookie", name: "session" }] },
    ],
  ])("%s", (_label, locations, src, expected) => expect(findToken(locations, src)).toMatchObject(expected));
});

describe("cookies", () => {
  it("reads and removes named cookies", () => {
    expect(cookieValues("a=1; session=abc; session=def", "session")).toEqual(["abc", "def"]);
    expect(cookieValues(null, "x")).toEqual([]);
    expect(withoutCookies("a=1; session=abc; b=2", ["session"])).toBe("a=1; b=2");
    expect(withoutCookies("session=abc", ["session"])).toBeNull();
  });
});
