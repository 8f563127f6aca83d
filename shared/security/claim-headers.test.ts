// outputClaimToHeaders: nested claims, value types, header-name safety.
import { describe, expect, it } from "vitest";
import { claimAt, claimHeaderValue, claimHeaders, isAllowedOutputHeader } from "./claim-headers";

const payload = {
  sub: "alice",
  "https://example.com/roles": "admin",
  age: 42,
  admin: true,
  groups: ["a", "b"],
  nested: { key: { group: "g1" } },
  evil: "x\r\nx-mesh-principal: cluster.local/ns/default/sa/admin",
};

describe("claimAt", () => {
  it.each([
    ["sub", "alice"],
    ["https://example.com/roles", "admin"],
    ["nested.key.group", "g1"],
    ["nested.missing", undefined],
    ["__proto__", undefined],
    ["constructor", undefined],
  ])("%s → %j", (claim, expected) => expect(claimAt(payload, claim)).toEqual(expected));
});

describe("claimHeaderValue", () => {
  it.each([
    ["alice", "alice"],
    [42, "42"],
    [true, "true"],
    [false, "false"],
    [["a"], null],
    [{ a: 1 }, null],
    [null, null],
    [Number.NaN, null],
    ["a\nb", null],
    ["a\u0000b", null],
    ["tab\tok", "tab\tok"],
  ])("%j → %j", (value, expected) => expect(claimHeaderValue(value)).toBe(expected));
});

describe("isAllowedOutputHeader", () => {
  it.each([
    ["x-jwt-sub", true],
    ["X-User-Email", true],
    ["x-mesh-principal", false],
    ["x-mesh-identity", false],
    ["host", false],
    ["Content-Length", false],
    ["transfer-encoding", false],
    ["authorization", false],
    ["x-forwarded-for", false],
    ["cf-connecting-ip", false],
    ["bad header", false],
    [":path", false],
    ["", false],
  ])("%s → %s", (name, expected) => expect(isAllowedOutputHeader(name)).toBe(expected));
});

describe("claimHeaders", () => {
  it("copies supported claims to allowed headers, skipping the rest", () => {
    expect(
      claimHeaders(
        [
          { header: "X-Jwt-Sub", claim: "sub" },
          { header: "x-group", claim: "nested.key.group" },
          { header: "x-admin", claim: "admin" },
          { header: "x-groups", claim: "groups" },
          { header: "x-missing", claim: "nope" },
          { header: "x-mesh-principal", claim: "sub" },
          { header: "x-evil", claim: "evil" },
        ],
        payload,
      ),
    ).toEqual([
      ["x-jwt-sub", "alice"],
      ["x-group", "g1"],
      ["x-admin", "true"],
    ]);
  });
});
