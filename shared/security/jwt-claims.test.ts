// Pinned algorithms, key choice, and registered-claim checks with bounded clock skew.
import { describe, expect, it } from "vitest";
import {
  ASYMMETRIC_ALGORITHMS,
  algorithmFitsKey,
  checkProtectedHeader,
  selectVerificationKeys,
  validateClaims,
  type Jwk,
} from "./jwt-claims";

describe("checkProtectedHeader", () => {
  const pinned = { algorithms: ["ES256", "EdDSA"] };
  it.each([
    [{ alg: "ES256", kid: "k1" }, pinned, { ok: true, value: { alg: "ES256", kid: "k1" } }],
    [{ alg: "EdDSA" }, pinned, { ok: true, value: { alg: "EdDSA" } }],
    [{ alg: "none" }, pinned, { ok: false, reason: "alg_not_allowed" }],
    [{ alg: "NONE" }, { algorithms: ["NONE"] }, { ok: false, reason: "alg_not_allowed" }],
    [{ alg: "HS256", kid: "k1" }, pinned, { ok: false, reason: "alg_not_allowed" }],
    [{ alg: "HS256" }, { algorithms: ASYMMETRIC_ALGORITHMS }, { ok: false, reason: "alg_not_allowed" }],
    [{ alg: "RS256" }, pinned, { ok: false, reason: "alg_not_allowed" }],
    [{}, pinned, { ok: false, reason: "malformed" }],
    [{ alg: 1 }, pinned, { ok: false, reason: "malformed" }],
    [{ alg: "ES256", crit: ["exp"] }, pinned, { ok: false, reason: "malformed" }],
    [{ alg: "ES256", kid: 7 }, pinned, { ok: false, reason: "malformed" }],
    [{ alg: "ES256" }, { ...pinned, requireKid: true }, { ok: false, reason: "unknown_kid" }],
    [
      { alg: "ES256", kid: "k", jku: "https://evil/jwks", jwk: { kty: "EC" } },
      pinned,
      { ok: true, value: { alg: "ES256", kid: "k" } },
    ],
  ])("%j with %j", (header, options, expected) =>
    expect(checkProtectedHeader(header, options)).toMatchObject(expected),
  );
});

describe("key choice", () => {
  const ec: Jwk = { kty: "EC", crv: "P-256", kid: "ec1", x: "x", y: "y" };
  const ed: Jwk = { kty: "OKP", crv: "Ed25519", kid: "ed1", x: "x" };
  const rsa: Jwk = { kty: "RSA", kid: "rsa1", n: "n", e: "AQAB", alg: "RS256" };
  const oct: Jwk = { kty: "oct", kid: "hmac", k: "secret" };

  it.each([
    ["ES256", ec, true],
    ["ES384", ec, false],
    ["EdDSA", ed, true],
    ["RS256", rsa, true],
    ["PS256", rsa, false], // the key pins alg RS256
    ["HS256", ec, false], // HMAC keyed with a public key: the classic confusion
    ["HS256", rsa, false],
    ["HS256", oct, true],
    ["ES256", { ...ec, use: "enc" }, false],
    ["ES256", { ...ec, key_ops: ["encrypt"] }, false],
    ["XX1", ec, false],
  ] as const)("%s with %j → %s", (alg, jwk, expected) => expect(algorithmFitsKey(alg, jwk)).toBe(expected));

  it.each([
    [
      { alg: "ES256", kid: "ec1" },
      { ok: true, value: [ec] },
    ],
    [
      { alg: "ES256", kid: "gone" },
      { ok: false, reason: "unknown_kid" },
    ],
    [
      { alg: "HS256", kid: "ec1" },
      { ok: false, reason: "alg_not_allowed" },
    ],
    [{ alg: "EdDSA" }, { ok: true, value: [ed] }],
    [{ alg: "ES512" }, { ok: false, reason: "unknown_kid" }],
  ])("selectVerificationKeys(%j)", (header, expected) =>
    expect(selectVerificationKeys([ec, ed, rsa], header)).toEqual(expect.objectContaining(expected)),
  );
});

describe("validateClaims", () => {
  const now = 1_700_000_000; // seconds
  const nowMs = now * 1000;
  const base = { iss: "https://issuer", sub: "alice", aud: "bookinfo", iat: now - 10, nbf: now - 10, exp: now + 300 };
  const opts = { nowMs, issuer: "https://issuer", audiences: ["bookinfo"] };

  it("accepts a valid token and reports its claims", () => {
    expect(validateClaims(base, opts)).toEqual({
      ok: true,
      value: {
        issuer: "https://issuer",
        subject: "alice",
        audiences: ["bookinfo"],
        expiresAt: now + 300,
        notBefore: now - 10,
        issuedAt: now - 10,
      },
    });
  });

  it.each<[string, Record<string, unknown>, Partial<Parameters<typeof validateClaims>[1]>, string | null]>([
    ["aud array containing the audience", { aud: ["x", "bookinfo"] }, {}, null],
    ["wrong issuer", { iss: "https://evil" }, {}, "wrong_issuer"],
    ["missing issuer", { iss: undefined }, {}, "wrong_issuer"],
    ["wrong audience", { aud: "other" }, {}, "wrong_audience"],
    ["missing audience", { aud: undefined }, {}, "wrong_audience"],
    ["empty audience list", { aud: [] }, {}, "wrong_audience"],
    ["audience not checked when none expected", { aud: "other" }, { audiences: [] }, null],
    ["expired beyond skew", { exp: now - 61 }, {}, "expired"],
    ["expired within skew", { exp: now - 59 }, {}, null],
    ["exactly at exp + skew", { exp: now - 60 }, {}, "expired"],
    ["no skew", { exp: now - 1 }, { clockSkewSeconds: 0 }, "expired"],
    ["nbf in the future beyond skew", { nbf: now + 61 }, {}, "not_yet_valid"],
    ["nbf within skew", { nbf: now + 59 }, {}, null],
    ["iat in the future", { iat: now + 120 }, {}, "not_yet_valid"],
    ["no exp", { exp: undefined }, {}, "malformed"],
    ["no exp allowed when not required", { exp: undefined }, { requireExpiration: false }, null],
    ["exp as string", { exp: String(now + 300) }, {}, "malformed"],
    ["aud with a number", { aud: ["bookinfo", 1] }, {}, "malformed"],
    ["iss not a string", { iss: 5 }, {}, "malformed"],
    ["sub not a string", { sub: {} }, {}, "malformed"],
    ["lifetime above the maximum", { iat: now, exp: now + 7200 }, { maxLifetimeSeconds: 3600 }, "malformed"],
    ["lifetime at the maximum", { iat: now, exp: now + 3600 }, { maxLifetimeSeconds: 3600 }, null],
  ])("%s", (_label, change, extra, reason) => {
    const payload: Record<string, unknown> = { ...base, ...change };
    for (const k of Object.keys(change)) if (change[k] === undefined) delete payload[k];
    const r = validateClaims(payload, { ...opts, ...extra });
    if (reason === null) expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, reason });
  });
});
