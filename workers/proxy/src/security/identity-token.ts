// Verifying an `x-mesh-identity` token: pinned ES256, key from the mesh JWKS by kid, then the claim checks.
import type { Jwk } from "../../../../shared/security/jwt-claims";
import { selectVerificationKeys } from "../../../../shared/security/jwt-claims";
import {
  checkIdentityClaims,
  readIdentityToken,
  type VerifiedIdentity,
} from "../../../../shared/security/identity-token";
import { jwtFail, type JwtResult } from "../../../../shared/security/jwt-result";
import { verifySignature } from "./signature";

/** The mesh CA signs with ES256 only, so that is all a proxy accepts (no EdDSA, never HS* or none). */
export const MESH_TOKEN_ALGORITHM = "ES256";

/**
 * Tokens whose signature already verified, with the key set they verified against. A caller sends the same
 * token for up to an hour, and the ES256 check is the proxy's largest per-request cost; the claims (exp, nbf…)
 * are still checked on every request, and a new JWKS (another array) misses the cache.
 */
const verifiedSignatures = new Map<string, readonly Jwk[]>();
const MAX_VERIFIED_SIGNATURES = 1024;

function rememberVerified(token: string, keys: readonly Jwk[]): void {
  if (verifiedSignatures.size >= MAX_VERIFIED_SIGNATURES) {
    const oldest = verifiedSignatures.keys().next().value;
    if (oldest !== undefined) verifiedSignatures.delete(oldest);
  }
  verifiedSignatures.set(token, keys);
}

export interface IdentityCheck {
  trustDomain: string;
  nowMs: number;
  clockSkewSeconds?: number;
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
  const read = readIdentityToken(token);
  if (!read.ok) return read;
  const { decoded, header } = read.value;
  if (header.alg !== MESH_TOKEN_ALGORITHM) return jwtFail("alg_not_allowed", `algorithm ${header.alg} is not allowed`);
  const candidates = selectVerificationKeys(keys, header);
  if (!candidates.ok) return candidates;
  if (verifiedSignatures.get(token) === keys) return checkIdentityClaims(decoded.payload, check);
  for (const key of candidates.value) {
    if (await verifySignature(header.alg, key, decoded.signingInput, decoded.signature)) {
      rememberVerified(token, keys);
      return checkIdentityClaims(decoded.payload, check);
    }
  }
  return jwtFail("bad_signature", "token signature does not verify");
}
