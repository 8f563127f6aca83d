// JWS signature verification with crypto.subtle; imported keys are cached per isolate.
import type { Jwk } from "../../../../shared/security/jwt-claims";

// Structural types, so that this file type-checks under both workers-types and the DOM lib (node tests).
interface Params {
  importAs: { name: string; namedCurve?: string; hash?: string };
  verifyAs: { name: string; hash?: string; saltLength?: number };
}

const HASH: Record<string, string> = { "256": "SHA-256", "384": "SHA-384", "512": "SHA-512" };
const CURVE: Record<string, string> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
/** Raw r‖s signature lengths for ECDSA (JWS form). */
const EC_SIGNATURE_BYTES: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

function paramsFor(alg: string): Params | null {
  const bits = alg.slice(2);
  const hash = HASH[bits];
  if (alg.startsWith("ES") && hash !== undefined) {
    return { importAs: { name: "ECDSA", namedCurve: CURVE[alg] ?? "" }, verifyAs: { name: "ECDSA", hash } };
  }
  if (alg.startsWith("RS") && hash !== undefined) {
    return { importAs: { name: "RSASSA-PKCS1-v1_5", hash }, verifyAs: { name: "RSASSA-PKCS1-v1_5" } };
  }
  if (alg.startsWith("PS") && hash !== undefined) {
    return { importAs: { name: "RSA-PSS", hash }, verifyAs: { name: "RSA-PSS", saltLength: Number(bits) / 8 } };
  }
  if (alg === "EdDSA" || alg === "Ed25519") return { importAs: { name: "Ed25519" }, verifyAs: { name: "Ed25519" } };
  return null;
}

const imported = new Map<string, Promise<CryptoKey | null>>();
const MAX_CACHED_KEYS = 256;

/** Only the public-key members: `alg`/`use`/`key_ops` were checked by `algorithmFitsKey` already. */
function publicMembers(jwk: Jwk): JsonWebKey {
  const out: Record<string, unknown> = { kty: jwk.kty };
  for (const name of ["crv", "x", "y", "n", "e"]) if (typeof jwk[name] === "string") out[name] = jwk[name];
  return out as unknown as JsonWebKey;
}

function importKey(alg: string, jwk: Jwk, params: Params): Promise<CryptoKey | null> {
  const members = publicMembers(jwk);
  const cacheKey = `${alg} ${JSON.stringify(members)}`;
  let key = imported.get(cacheKey);
  if (key === undefined) {
    if (imported.size >= MAX_CACHED_KEYS) imported.clear();
    key = crypto.subtle.importKey("jwk", members, params.importAs, false, ["verify"]).catch(() => null);
    imported.set(cacheKey, key);
  }
  return key;
}

/** True when `signature` over `signingInput` verifies with `jwk` under `alg`; false for anything else. */
export async function verifySignature(
  alg: string,
  jwk: Jwk,
  signingInput: string,
  signature: Uint8Array,
): Promise<boolean> {
  const params = paramsFor(alg);
  if (params === null) return false;
  const expected = EC_SIGNATURE_BYTES[alg];
  if (expected !== undefined && signature.byteLength !== expected) return false;
  const key = await importKey(alg, jwk, params);
  if (key === null) return false;
  try {
    // A copy into a plain ArrayBuffer: the DOM typings (node tests) refuse a view of ArrayBufferLike.
    const bytes = new Uint8Array(signature).buffer;
    return await crypto.subtle.verify(params.verifyAs, key, bytes, new TextEncoder().encode(signingInput));
  } catch {
    return false;
  }
}

/** `{"keys": [...]}` → the entries that look like JWKs; null when the text is not a key set. */
export function parseJwks(text: string): Jwk[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return null;
  return keys.filter(
    (k): k is Jwk => typeof k === "object" && k !== null && typeof (k as { kty?: unknown }).kty === "string",
  );
}
