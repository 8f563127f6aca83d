// The proxy's identity-token verifier against the attack list, with keys the test controls (the mesh's
// own private key never leaves the control plane, so claim variants are signed here).
import { describe, expect, it } from "vitest";
import type { Jwk } from "../../shared/security/index";
import { verifyIdentityToken } from "../../workers/proxy/src/security/identity-token";
import { hs256WithPublicKey, identityClaims, nowSeconds, sign, testKey, unsignedToken } from "./tokens";

const mesh = await testKey("mesh-key-1");
const other = await testKey("other-mesh-key");
const keys = [mesh.publicJwk as Jwk];
const check = { trustDomain: "cluster.local", nowMs: Date.now() };

describe("identity token verification", () => {
  it("accepts a token signed by the mesh key and names the principal", async () => {
    const result = await verifyIdentityToken(await sign(mesh, identityClaims("billing")), keys, check);
    expect(result).toMatchObject({ ok: true, value: { principal: "cluster.local/ns/default/sa/billing" } });
  });

  it("refuses a token it accepted before once it has expired, or under another trust domain", async () => {
    const token = await sign(mesh, identityClaims("billing"));
    const accepted = await verifyIdentityToken(token, keys, check);
    expect(accepted.ok).toBe(true);
    const exp = accepted.ok ? accepted.value.expiresAt : 0;
    expect(await verifyIdentityToken(token, keys, { ...check, trustDomain: "other.mesh" })).toMatchObject({
      ok: false,
      reason: "wrong_issuer",
    });
    // The signature is cached and the accepted claims are reused until expiry (plus the 60 s skew), not after.
    expect((await verifyIdentityToken(token, keys, { ...check, nowMs: (exp + 59) * 1000 })).ok).toBe(true);
    expect(await verifyIdentityToken(token, keys, { ...check, nowMs: (exp + 60) * 1000 })).toMatchObject({
      ok: false,
      reason: "expired",
    });
    expect((await verifyIdentityToken(token, keys, check)).ok).toBe(true);
  });

  const now = nowSeconds();
  const cases: [string, () => Promise<string | string[]>, string][] = [
    ["alg: none", async () => unsignedToken(identityClaims("billing"), mesh.kid), "alg_not_allowed"],
    [
      "HS256 signed with the public key",
      () => hs256WithPublicKey(mesh.publicJwk, identityClaims("billing")),
      "alg_not_allowed",
    ],
    [
      "wrong iss",
      () => sign(mesh, identityClaims("billing", "cluster.local", { iss: "spiffe://evil.example" })),
      "wrong_issuer",
    ],
    [
      "wrong aud",
      () => sign(mesh, identityClaims("billing", "cluster.local", { aud: "flaremesh:other" })),
      "wrong_audience",
    ],
    [
      "expired",
      () =>
        sign(mesh, identityClaims("billing", "cluster.local", { iat: now - 3000, nbf: now - 3000, exp: now - 600 })),
      "expired",
    ],
    [
      "nbf in the future",
      () => sign(mesh, identityClaims("billing", "cluster.local", { nbf: now + 600, exp: now + 1200 })),
      "not_yet_valid",
    ],
    ["unknown kid", () => sign(mesh, identityClaims("billing"), { kid: "no-such-key" }), "unknown_kid"],
    ["no kid", () => sign(mesh, identityClaims("billing"), { kid: undefined }), "unknown_kid"],
    ["a token from another mesh", () => sign(other, identityClaims("billing", "other.mesh")), "unknown_kid"],
    [
      "another mesh's key claiming our kid",
      () => sign({ ...other, kid: mesh.kid }, identityClaims("billing")),
      "bad_signature",
    ],
    [
      "oversized token",
      () => sign(mesh, identityClaims("billing", "cluster.local", { pad: "x".repeat(9000) })),
      "too_large",
    ],
    [
      "lifetime above one hour",
      () => sign(mesh, identityClaims("billing", "cluster.local", { exp: now + 7200 })),
      "malformed",
    ],
    [
      "sub from another trust domain",
      () => sign(mesh, identityClaims("billing", "cluster.local", { sub: "spiffe://evil/ns/default/sa/x" })),
      "wrong_issuer",
    ],
    [
      "sub that is not a SPIFFE ID",
      () => sign(mesh, identityClaims("billing", "cluster.local", { sub: "admin" })),
      "malformed",
    ],
    [
      "EdDSA (not what the mesh CA signs)",
      async () =>
        unsignedToken(identityClaims("billing"), mesh.kid).replace(
          /^[^.]+/,
          Buffer.from(JSON.stringify({ alg: "EdDSA", kid: mesh.kid })).toString("base64url"),
        ) + "AAAA",
      "alg_not_allowed",
    ],
    ["a JWE-shaped token", async () => "a.b.c.d.e", "malformed"],
  ];

  it.each(cases)("refuses %s", async (_name, make, reason) => {
    const tokens = await make();
    for (const token of Array.isArray(tokens) ? tokens : [tokens]) {
      const result = await verifyIdentityToken(token, keys, check);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toBe(reason);
    }
  });

  it("refuses a token whose payload was changed after signing", async () => {
    const [h, , s] = (await sign(mesh, identityClaims("billing"))).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify(identityClaims("admin"))).toString("base64url")}.${s}`;
    const result = await verifyIdentityToken(forged, keys, check);
    expect(result).toMatchObject({ ok: false, reason: "bad_signature" });
  });
});
