// The mesh's own identity tokens (`x-mesh-identity`): the claims minted and what verification demands.
import { checkProtectedHeader, DEFAULT_CLOCK_SKEW_SECONDS, validateClaims, type CheckedHeader } from "./jwt-claims";
import { decodeJwt, type DecodedJwt } from "./jwt-decode";
import { jwtFail, jwtOk, type JwtResult } from "./jwt-result";
import { parseSpiffeId, principalFor, spiffeIdFor } from "./principal";

/** Identity tokens live at most an hour (issue 5); verification refuses longer-lived ones. */
export const IDENTITY_TOKEN_MAX_LIFETIME_SECONDS = 3600;
/** What the mesh CA signs with; nothing else is accepted on `x-mesh-identity`. */
export const IDENTITY_TOKEN_ALGORITHMS: readonly string[] = ["ES256", "EdDSA"];

/** `iss` of identity tokens: the trust domain's authority. */
export function identityTokenIssuer(trustDomain: string): string {
  return `spiffe://${trustDomain}`;
}

/** `aud` of identity tokens: every proxy of the mesh (tokens are not minted per destination). */
export function identityTokenAudience(trustDomain: string): string {
  return `flaremesh:${trustDomain}`;
}

export interface IdentityClaimsInput {
  trustDomain: string;
  namespace: string;
  service: string;
  nowMs: number;
  ttlSeconds: number;
  /** Unique token id (randomness is the caller's). */
  jti: string;
}

/** The payload the control plane signs for `POST /v1/identity/token`. */
export function identityTokenClaims(input: IdentityClaimsInput): Record<string, unknown> {
  if (!(input.ttlSeconds > 0 && input.ttlSeconds <= IDENTITY_TOKEN_MAX_LIFETIME_SECONDS)) {
    throw new RangeError(`identity token TTL must be in (0, ${IDENTITY_TOKEN_MAX_LIFETIME_SECONDS}] s`);
  }
  const iat = Math.floor(input.nowMs / 1000);
  return {
    iss: identityTokenIssuer(input.trustDomain),
    sub: spiffeIdFor(input.trustDomain, input.namespace, input.service),
    aud: identityTokenAudience(input.trustDomain),
    iat,
    nbf: iat,
    exp: iat + input.ttlSeconds,
    jti: input.jti,
  };
}

/** Decodes an `x-mesh-identity` value and checks its header, before any key is fetched. */
export function readIdentityToken(token: string): JwtResult<{ decoded: DecodedJwt; header: CheckedHeader }> {
  const decoded = decodeJwt(token);
  if (!decoded.ok) return decoded;
  const header = checkProtectedHeader(decoded.value.header, {
    algorithms: IDENTITY_TOKEN_ALGORITHMS,
    requireKid: true,
  });
  if (!header.ok) return header;
  return jwtOk({ decoded: decoded.value, header: header.value });
}

export interface VerifiedIdentity {
  principal: string;
  spiffeId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/**
 * Whether claims that `checkIdentityClaims` accepted at `checkedAtMs` are still accepted, with the same result, at
 * `nowMs` (same trust domain and skew). Of its checks only `exp` can turn false as time passes: `nbf`, `iat` and a
 * lifetime measured from now only turn true. So from a later time the answer is the same until expiry; an earlier
 * time (a clock that went back) needs the full check. Lets a proxy check a token it sees on every request once.
 */
export function stillValid(
  identity: VerifiedIdentity,
  checkedAtMs: number,
  nowMs: number,
  clockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS,
): boolean {
  return nowMs >= checkedAtMs && nowMs / 1000 < identity.expiresAt + clockSkewSeconds;
}

/**
 * Claim checks after the signature has been verified against the mesh JWKS: issuer and audience of this
 * trust domain, bounded lifetime, and a `sub` that is a workload SPIFFE ID of this trust domain.
 */
export function checkIdentityClaims(
  payload: Record<string, unknown>,
  options: { trustDomain: string; nowMs: number; clockSkewSeconds?: number },
): JwtResult<VerifiedIdentity> {
  const claims = validateClaims(payload, {
    nowMs: options.nowMs,
    issuer: identityTokenIssuer(options.trustDomain),
    audiences: [identityTokenAudience(options.trustDomain)],
    maxLifetimeSeconds: IDENTITY_TOKEN_MAX_LIFETIME_SECONDS,
    ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
  });
  if (!claims.ok) return claims;
  const id = claims.value.subject === undefined ? null : parseSpiffeId(claims.value.subject);
  if (id === null) return jwtFail("malformed", "sub is not a workload SPIFFE ID");
  if (id.trustDomain !== options.trustDomain) return jwtFail("wrong_issuer", "sub belongs to another trust domain");
  return jwtOk({
    principal: principalFor(id.trustDomain, id.namespace, id.serviceAccount),
    spiffeId: claims.value.subject ?? "",
    expiresAt: claims.value.expiresAt ?? 0,
  });
}
