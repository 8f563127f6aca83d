// RequestAuthentication: token search, issuer-selected rule, claim checks, header edits.
import { describe, expect, it } from "vitest";
import { JwtRuleModel } from "../model/security";
import { base64UrlEncode, decodeJwt } from "./jwt-decode";
import {
  checkEndUserClaims,
  compileRequestAuthentication,
  endUserHeaderEdits,
  findEndUserToken,
  selectJwtRules,
} from "./request-authentication";
import type { TokenSource } from "./jwt-location";

const enc = (v: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(v)));
const now = 1_700_000_000;
const jwt = (payload: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", kid: "k" }) =>
  `${enc(header)}.${enc({ exp: now + 600, ...payload })}.c2ln`;

function source(headers: Record<string, string>, query = ""): TokenSource {
  const map = new Map(Object.entries(headers));
  return { headers: { get: (n) => map.get(n) ?? null }, searchParams: new URLSearchParams(query) };
}

const istioRule = JwtRuleModel.parse({
  policy: "default/jwt-example",
  issuer: "testing@secure.istio.io",
  jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.22/security/tools/jwt/samples/jwks.json",
  outputClaimToHeaders: [
    { header: "x-jwt-sub", claim: "sub" },
    { header: "x-mesh-principal", claim: "sub" },
  ],
});
const partnerRule = JwtRuleModel.parse({
  policy: "default/partner",
  issuer: "https://partner.example",
  audiences: ["bookinfo"],
  fromHeaders: [{ name: "x-partner-token", prefix: "" }],
  forwardOriginalToken: true,
  outputPayloadToHeader: "x-jwt-payload",
});
const compiled = compileRequestAuthentication([istioRule, partnerRule]);

describe("compileRequestAuthentication", () => {
  it("collects locations and the claim headers to strip from every request (only allowed ones)", () => {
    expect(compiled.locations.map((l) => l.name)).toEqual(["authorization", "access_token", "x-partner-token"]);
    expect(compiled.protectedHeaders).toEqual(["x-jwt-sub", "x-jwt-payload"]);
  });
  it("reads nothing when no rule applies", () => {
    expect(findEndUserToken(compileRequestAuthentication([]), source({ authorization: "Bearer abc" }))).toEqual({
      kind: "none",
    });
  });
});

describe("selectJwtRules", () => {
  const find = (headers: Record<string, string>, query = "") => {
    const f = findEndUserToken(compiled, source(headers, query));
    if (f.kind !== "found") throw new Error(`no token: ${f.kind}`);
    return f;
  };
  it("picks the rule by the token's issuer", () => {
    const r = selectJwtRules(
      compiled,
      find({ authorization: `Bearer ${jwt({ iss: "testing@secure.istio.io", sub: "s" })}` }),
    );
    expect(r.ok && r.value.rules.map((x) => x.model.policy)).toEqual(["default/jwt-example"]);
  });
  it.each([
    [
      "unknown issuer → refused, not anonymous",
      { authorization: `Bearer ${jwt({ iss: "https://evil", sub: "s" })}` },
      "wrong_issuer",
    ],
    [
      "issuer known but token in another rule's location",
      { "x-partner-token": jwt({ iss: "testing@secure.istio.io" }) },
      "wrong_issuer",
    ],
    [
      "alg none",
      { authorization: `Bearer ${jwt({ iss: "testing@secure.istio.io" }, { alg: "none" })}` },
      "alg_not_allowed",
    ],
    [
      "HS256",
      { authorization: `Bearer ${jwt({ iss: "testing@secure.istio.io" }, { alg: "HS256", kid: "k" })}` },
      "alg_not_allowed",
    ],
    ["no iss", { authorization: `Bearer ${jwt({ sub: "s" })}` }, "malformed"],
    ["garbage", { authorization: "Bearer not.a.jwt!" }, "malformed"],
    ["oversized", { authorization: `Bearer ${"a".repeat(9000)}` }, "too_large"],
  ])("%s", (_label, headers, reason) =>
    expect(selectJwtRules(compiled, find(headers))).toMatchObject({ ok: false, reason }),
  );
});

describe("checkEndUserClaims", () => {
  const nowMs = now * 1000;
  const [istio, partner] = compiled.rules;
  it("builds request.auth.* from a valid token", () => {
    const payload = {
      iss: "https://partner.example",
      sub: "bob",
      aud: ["bookinfo"],
      azp: "web",
      exp: now + 60,
      groups: ["g"],
    };
    expect(checkEndUserClaims(partner!, payload, { nowMs })).toEqual({
      ok: true,
      value: {
        issuer: "https://partner.example",
        subject: "bob",
        principal: "https://partner.example/bob",
        audiences: ["bookinfo"],
        presenter: "web",
        claims: payload,
      },
    });
  });
  it.each<[string, Record<string, unknown>, string]>([
    ["wrong audience", { iss: "https://partner.example", sub: "b", aud: "other", exp: now + 60 }, "wrong_audience"],
    ["expired", { iss: "https://partner.example", sub: "b", aud: "bookinfo", exp: now - 3600 }, "expired"],
    [
      "not yet valid",
      { iss: "https://partner.example", sub: "b", aud: "bookinfo", exp: now + 9000, nbf: now + 600 },
      "not_yet_valid",
    ],
    ["no exp", { iss: "https://partner.example", sub: "b", aud: "bookinfo" }, "malformed"],
  ])("%s → %s", (_label, payload, reason) =>
    expect(checkEndUserClaims(partner!, payload, { nowMs })).toMatchObject({ ok: false, reason }),
  );
  it("does not check the audience when the rule names none (Istio)", () => {
    expect(
      checkEndUserClaims(
        istio!,
        { iss: "testing@secure.istio.io", sub: "s", aud: "anything", exp: now + 60 },
        { nowMs },
      ).ok,
    ).toBe(true);
  });
});

describe("endUserHeaderEdits", () => {
  it("strips the token and sets claim headers (never a mesh header)", () => {
    const token = jwt({ iss: "testing@secure.istio.io", sub: "alice" });
    const found = findEndUserToken(compiled, source({ authorization: `Bearer ${token}` }));
    const decoded = decodeJwt(token);
    if (found.kind !== "found" || !decoded.ok) throw new Error("setup");
    expect(endUserHeaderEdits(compiled.rules[0]!, found, decoded.value)).toEqual({
      remove: ["authorization"],
      set: [["x-jwt-sub", "alice"]],
      removeParams: [],
      removeCookies: [],
    });
  });
  it("removes the query parameter that carried the token", () => {
    const token = jwt({ iss: "testing@secure.istio.io", sub: "alice" });
    const found = findEndUserToken(compiled, source({}, `access_token=${token}`));
    const decoded = decodeJwt(token);
    if (found.kind !== "found" || !decoded.ok) throw new Error("setup");
    expect(endUserHeaderEdits(compiled.rules[0]!, found, decoded.value).removeParams).toEqual(["access_token"]);
  });
  it("forwards the token when asked and outputs the payload", () => {
    const token = jwt({ iss: "https://partner.example", sub: "bob" });
    const found = findEndUserToken(compiled, source({ "x-partner-token": token }));
    const decoded = decodeJwt(token);
    if (found.kind !== "found" || !decoded.ok) throw new Error("setup");
    expect(endUserHeaderEdits(compiled.rules[1]!, found, decoded.value)).toEqual({
      remove: [],
      set: [["x-jwt-payload", token.split(".")[1]]],
      removeParams: [],
      removeCookies: [],
    });
  });
});
