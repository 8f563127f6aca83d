// Mesh identity tokens: minted claims, header pinning, and claim checks (parts of the attack suite).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkIdentityClaims,
  identityTokenAudience,
  identityTokenClaims,
  identityTokenIssuer,
  readIdentityToken,
  stillValid,
} from "./identity-token";
import { base64UrlEncode } from "./jwt-decode";

const enc = (v: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(v)));
const nowMs = 1_700_000_000_000;
const td = "cluster.local";

describe("identityTokenClaims", () => {
  it("mints sub = SPIFFE ID, mesh iss/aud, exp ≤ 1 h", () => {
    expect(
      identityTokenClaims({
        trustDomain: td,
        namespace: "default",
        service: "productpage",
        nowMs,
        ttlSeconds: 900,
        jti: "j1",
      }),
    ).toEqual({
      iss: "spiffe://cluster.local",
      sub: "spiffe://cluster.local/ns/default/sa/productpage",
      aud: "flaremesh:cluster.local",
      iat: 1_700_000_000,
      nbf: 1_700_000_000,
      exp: 1_700_000_900,
      jti: "j1",
    });
  });
  it.each([0, -1, 3601])("refuses a TTL of %s s", (ttlSeconds) =>
    expect(() =>
      identityTokenClaims({ trustDomain: td, namespace: "d", service: "s", nowMs, ttlSeconds, jti: "j" }),
    ).toThrow(RangeError),
  );
});

describe("readIdentityToken", () => {
  const payload = identityTokenClaims({
    trustDomain: td,
    namespace: "default",
    service: "productpage",
    nowMs,
    ttlSeconds: 600,
    jti: "j",
  });
  it.each([
    ["ES256 with kid", { alg: "ES256", kid: "k1" }, null],
    ["EdDSA with kid", { alg: "EdDSA", kid: "k1" }, null],
    ["alg none", { alg: "none", kid: "k1" }, "alg_not_allowed"],
    ["HS256 (signed with the public key)", { alg: "HS256", kid: "k1" }, "alg_not_allowed"],
    ["RS256 (not what the mesh CA signs with)", { alg: "RS256", kid: "k1" }, "alg_not_allowed"],
    ["no kid", { alg: "ES256" }, "unknown_kid"],
  ])("%s", (_label, header, reason) => {
    const r = readIdentityToken(`${enc(header)}.${enc(payload)}.c2ln`);
    if (reason === null) expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, reason });
  });
  it("refuses an oversized token before decoding", () =>
    expect(readIdentityToken("a".repeat(9000))).toMatchObject({ ok: false, reason: "too_large" }));
});

describe("checkIdentityClaims", () => {
  const good = identityTokenClaims({
    trustDomain: td,
    namespace: "default",
    service: "reviews",
    nowMs,
    ttlSeconds: 600,
    jti: "j",
  });
  it("returns the principal", () => {
    expect(checkIdentityClaims(good, { trustDomain: td, nowMs })).toEqual({
      ok: true,
      value: {
        principal: "cluster.local/ns/default/sa/reviews",
        spiffeId: "spiffe://cluster.local/ns/default/sa/reviews",
        expiresAt: 1_700_000_600,
      },
    });
  });
  it.each<[string, Record<string, unknown>, string]>([
    ["token from another mesh (trust domain)", { iss: identityTokenIssuer("other.mesh") }, "wrong_issuer"],
    ["audience of another mesh", { aud: identityTokenAudience("other.mesh") }, "wrong_audience"],
    ["expired", { exp: 1_700_000_000 - 120 }, "expired"],
    ["nbf in the future", { nbf: 1_700_000_000 + 300 }, "not_yet_valid"],
    ["lifetime over one hour", { iat: 1_700_000_000, exp: 1_700_000_000 + 7200 }, "malformed"],
    ["sub is not a SPIFFE ID", { sub: "productpage" }, "malformed"],
    ["sub from another trust domain", { sub: "spiffe://other.mesh/ns/default/sa/x" }, "wrong_issuer"],
    ["no sub", { sub: undefined }, "malformed"],
  ])("%s → %s", (_label, change, reason) => {
    const payload: Record<string, unknown> = { ...good, ...change };
    for (const k of Object.keys(change)) if (change[k] === undefined) delete payload[k];
    expect(checkIdentityClaims(payload, { trustDomain: td, nowMs })).toMatchObject({ ok: false, reason });
  });
});

describe("stillValid", () => {
  const t0 = 1_700_000_000;
  // Claims around t0, some without iat or nbf, checked at two times (seconds, with fractions) and skews.
  const claims = fc.record(
    {
      iat: fc.integer({ min: t0 - 4000, max: t0 + 200 }),
      nbf: fc.integer({ min: t0 - 4000, max: t0 + 200 }),
      exp: fc.integer({ min: t0 - 200, max: t0 + 4000 }),
    },
    { requiredKeys: ["exp"] },
  );
  const offsetMs = fc.integer({ min: -300_000, max: 4_500_000 });
  const skew = fc.constantFrom(undefined, 0, 30, 60);
  /** A token for reviews issued at t0 (ten minutes). */
  const reviewsClaims = () =>
    identityTokenClaims({
      trustDomain: td,
      namespace: "default",
      service: "reviews",
      nowMs: t0 * 1000,
      ttlSeconds: 600,
      jti: "j",
    });

  it("says yes only when a full check at the later time gives the same answer (property)", () => {
    fc.assert(
      fc.property(claims, offsetMs, offsetMs, skew, (times, a, b, clockSkewSeconds) => {
        const payload = reviewsClaims();
        delete payload["iat"];
        delete payload["nbf"];
        Object.assign(payload, times);
        const check = (ms: number) =>
          checkIdentityClaims(payload, {
            trustDomain: td,
            nowMs: ms,
            ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }),
          });
        const atMs = t0 * 1000 + a;
        const laterMs = t0 * 1000 + b;
        const first = check(atMs);
        if (!first.ok) return;
        const again = check(laterMs);
        const reused = stillValid(first.value, atMs, laterMs, clockSkewSeconds);
        // Sound: never reuses an answer the full check would not give…
        if (reused) expect(again).toEqual(first);
        // …and complete from a later time: it only stops at expiry.
        if (laterMs >= atMs) expect(reused).toBe(again.ok);
        else expect(reused).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("reuses an answer until expiry plus the skew, never for an earlier time", () => {
    const first = checkIdentityClaims(reviewsClaims(), { trustDomain: td, nowMs: t0 * 1000 });
    if (!first.ok) throw new Error("fixture");
    expect(stillValid(first.value, t0 * 1000, (t0 + 599) * 1000)).toBe(true);
    expect(stillValid(first.value, t0 * 1000, (t0 + 600 + 60) * 1000)).toBe(false);
    expect(stillValid(first.value, t0 * 1000, t0 * 1000 - 1)).toBe(false);
  });
});
