// Verifying an `x-mesh-identity` token: pinned ES256, key from the mesh JWKS by kid, then the claim checks.
import type { Jwk } from "../../../../shared/security/jwt-claims";
import { selectVerificationKeys } from "../../../../shared/security/jwt-claims";
import {
  checkIdentityClaims,
  readIdentityToken,
  stillValid,
  type VerifiedIdentity,
} from "../../../../shared/security/identity-token";
import { jwtFail, type JwtResult } from "../../../../shared/security/jwt-result";
import { verifySignature } from "./signature";

/** The mesh CA signs with ES256 only, so that is all a proxy accepts (no EdDSA, never HS* or none). */
export const MESH_TOKEN_ALGORITHM = "ES256";

type IdentityPayload = Parameters<typeof checkIdentityClaims>[0];

/**
 * Tokens whose signature already verified: the key set they verified against and their decoded payload. A
 * caller sends the same token for up to an hour, and decoding plus the ES256 check were the proxy's largest
 * per-request costs; a new JWKS (another array) misses the cache. `accepted` is the last claims check that
 * passed: reused while `stillValid` says a full check would give the same answer (until `exp`).
 */
interface Verified {
  keys: readonly Jwk[];
  payload: IdentityPayload;
  accepted: { trustDomain: string; skew: number | undefined; atMs: number; result: JwtResult<VerifiedIdentity> } | null;
}
const verifiedTokens = new Map<string, Verified>();
const MAX_VERIFIED_TOKENS = 1024;

function rememberVerified(token: string, keys: readonly Jwk[], payload: IdentityPayload): Verified {
  if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) {
    const oldest = verifiedTokens.keys().next().value;
    if (oldest !== undefined) verifiedTokens.delete(oldest);
  }
  const entry: Verified = { keys, payload, accepted: null };
  verifiedTokens.set(token, entry);
  return entry;
}

function checkClaims(known: Verified, check: IdentityCheck): JwtResult<VerifiedIdentity> {
  const last = known.accepted;
  if (
    last !== null &&
    last.result.ok &&
    last.trustDomain === check.trustDomain &&
    last.skew === check.clockSkewSeconds &&
    stillValid(last.result.value, last.atMs, check.nowMs, check.clockSkewSeconds)
  ) {
    return last.result;
  }
  const result = checkIdentityClaims(known.payload, check);
  known.accepted = result.ok
    ? { trustDomain: check.trustDomain, skew: check.clockSkewSeconds, atMs: check.nowMs, result }
    : null;
  return result;
}

export interface IdentityCheck {
  trustDomain: string;
  nowMs: number;
  clockSkewSeconds?: number;
}

/**
 * The answer for a token whose signature already verified against these keys (its claims checked now), without
 * waiting for anything; undefined when the token needs the full verification.
 */
export function cachedIdentity(
  token: string,
  keys: readonly Jwk[],
  check: IdentityCheck,
): JwtResult<VerifiedIdentity> | undefined {
  const known = verifiedTokens.get(token);
  return known !== undefined && known.keys === keys ? checkClaims(known, check) : undefined;
}

/**
 * Decode (size-capped) → header (pinned alg, kid required) → key by kid → signature → iss/aud/exp/nbf/
 * lifetime/sub. `unknown_kid` tells the caller that a key refresh might help.
 */
export async function verifyIdentityToken(
  token: string,
  keys: readonly Jwk[],
  check: IdentityCheck,
): Promise<JwtResult<VerifiedIdentity>> {
  const cached = cachedIdentity(token, keys, check);
  if (cached !== undefined) return cached;
  const read = readIdentityToken(token);
  if (!read.ok) return read;
  const { decoded, header } = read.value;
  if (header.alg !== MESH_TOKEN_ALGORITHM) return jwtFail("alg_not_allowed", `algorithm ${header.alg} is not allowed`);
  const candidates = selectVerificationKeys(keys, header);
  if (!candidates.ok) return candidates;
  for (const key of candidates.value) {
    if (await verifySignature(header.alg, key, decoded.signingInput, decoded.signature)) {
      return checkClaims(rememberVerified(token, keys, decoded.payload), check);
    }
  }
  return jwtFail("bad_signature", "token signature does not verify");
}
