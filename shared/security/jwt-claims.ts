// JWT checks that need no cryptography: pinned algorithm, key choice, iss / aud / exp / nbf / iat.
import { jwtFail, jwtOk, type JwtResult } from "./jwt-result";

export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/** Public-key algorithms; HMAC is never accepted for keys published in a JWKS. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = [
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
];

export interface CheckedHeader {
  alg: string;
  kid?: string;
}

export interface HeaderOptions {
  /** The algorithms this verifier accepts — pinned by configuration, never taken from the token. */
  algorithms: readonly string[];
  /** Refuse tokens without `kid` (identity tokens always carry one). */
  requireKid?: boolean;
}

/**
 * The protected header: `alg` must be one of the pinned algorithms (so `none` and HS256-with-a-public-key
 * are refused before any key is touched); `crit` extensions are not understood and so refused
 * (RFC 7515 §4.1.11); `jku`, `x5u`, `jwk`, `x5c` are ignored — keys come only from configuration.
 */
export function checkProtectedHeader(
  header: Record<string, unknown>,
  options: HeaderOptions,
): JwtResult<CheckedHeader> {
  const { alg, kid, crit } = header;
  if (typeof alg !== "string") return jwtFail("malformed", "token header has no alg");
  if (alg.toLowerCase() === "none" || !options.algorithms.includes(alg)) {
    return jwtFail("alg_not_allowed", `algorithm ${alg} is not allowed`);
  }
  if (crit !== undefined) return jwtFail("malformed", "token header has critical extensions (crit)");
  if (kid !== undefined && typeof kid !== "string") return jwtFail("malformed", "token header kid is not a string");
  if (kid === undefined && options.requireKid === true) return jwtFail("unknown_kid", "token header has no kid");
  return jwtOk(kid === undefined ? { alg } : { alg, kid });
}

/** The JWK fields key selection looks at. */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  key_ops?: readonly string[];
  [field: string]: unknown;
}

const CURVE: Record<string, string> = {
  ES256: "P-256",
  ES384: "P-384",
  ES512: "P-521",
  EdDSA: "Ed25519",
  Ed25519: "Ed25519",
};

/** Whether `alg` may be verified with `jwk`: the key type must fit, and a key's own `alg`/`use` must agree. */
export function algorithmFitsKey(alg: string, jwk: Jwk): boolean {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (jwk.use !== undefined && jwk.use !== "sig") return false;
  if (jwk.key_ops !== undefined && !jwk.key_ops.includes("verify")) return false;
  if (/^HS\d+$/.test(alg)) return jwk.kty === "oct";
  if (/^(RS|PS)\d+$/.test(alg)) return jwk.kty === "RSA";
  if (/^ES\d+$/.test(alg)) return jwk.kty === "EC" && jwk.crv === CURVE[alg];
  if (alg === "EdDSA" || alg === "Ed25519") return jwk.kty === "OKP" && jwk.crv === "Ed25519";
  return false;
}

/**
 * The keys a verifier should try, given the key set and the checked header. `unknown_kid` tells the caller
 * to refresh its key cache (rate-limited) and try once more; `alg_not_allowed` means the key named by
 * `kid` is of another type (e.g. HS256 presented against an EC public key).
 */
export function selectVerificationKeys(keys: readonly Jwk[], header: CheckedHeader): JwtResult<Jwk[]> {
  const named = header.kid === undefined ? keys : keys.filter((k) => k.kid === header.kid);
  if (named.length === 0) return jwtFail("unknown_kid", `no key with kid ${header.kid ?? "(none)"}`);
  const fitting = named.filter((k) => algorithmFitsKey(header.alg, k));
  if (fitting.length > 0) return jwtOk(fitting);
  return header.kid === undefined
    ? jwtFail("unknown_kid", `no key for algorithm ${header.alg}`)
    : jwtFail("alg_not_allowed", `key ${header.kid} cannot verify ${header.alg}`);
}

export interface ClaimOptions {
  /** The current time in epoch milliseconds — an argument, never read from a clock here. */
  nowMs: number;
  /** Expected `iss`; unset: any. */
  issuer?: string;
  /** The token's `aud` must contain one of these; unset or empty: not checked. */
  audiences?: readonly string[];
  clockSkewSeconds?: number;
  /** Refuse tokens without `exp` (default true). */
  requireExpiration?: boolean;
  /** Refuse tokens whose lifetime (`exp` − `iat`, or `exp` − now) exceeds this. */
  maxLifetimeSeconds?: number;
}

export interface ValidatedClaims {
  issuer?: string;
  subject?: string;
  audiences: string[];
  /** Epoch seconds. */
  expiresAt?: number;
  notBefore?: number;
  issuedAt?: number;
}

function numericDate(payload: Record<string, unknown>, claim: string): number | undefined | null {
  const v = payload[claim];
  if (v === undefined) return undefined;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function audienceList(aud: unknown): string[] | null {
  if (aud === undefined) return [];
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud) && aud.every((a) => typeof a === "string")) return aud as string[];
  return null;
}

/**
 * Registered-claim checks on a payload whose signature has been verified. Type errors are `malformed`;
 * then issuer, audience, and time, each with `clockSkewSeconds` of tolerance (default 60 s).
 */
export function validateClaims(payload: Record<string, unknown>, options: ClaimOptions): JwtResult<ValidatedClaims> {
  const { iss, sub } = payload;
  if (iss !== undefined && typeof iss !== "string") return jwtFail("malformed", "iss is not a string");
  if (sub !== undefined && typeof sub !== "string") return jwtFail("malformed", "sub is not a string");
  const audiences = audienceList(payload["aud"]);
  if (audiences === null) return jwtFail("malformed", "aud is not a string or a list of strings");
  const exp = numericDate(payload, "exp");
  const nbf = numericDate(payload, "nbf");
  const iat = numericDate(payload, "iat");
  if (exp === null || nbf === null || iat === null) return jwtFail("malformed", "exp, nbf and iat must be numbers");
  if (exp === undefined && options.requireExpiration !== false) return jwtFail("malformed", "token has no exp");

  if (options.issuer !== undefined && iss !== options.issuer) {
    return jwtFail("wrong_issuer", `issuer ${String(iss)} is not ${options.issuer}`);
  }
  const expected = options.audiences ?? [];
  if (expected.length > 0 && !audiences.some((a) => expected.includes(a))) {
    return jwtFail("wrong_audience", "token audience is not accepted here");
  }

  const now = options.nowMs / 1000;
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (exp !== undefined && now >= exp + skew) return jwtFail("expired", "token has expired");
  if (nbf !== undefined && now + skew < nbf) return jwtFail("not_yet_valid", "token is not valid yet (nbf)");
  if (iat !== undefined && now + skew < iat) return jwtFail("not_yet_valid", "token was issued in the future (iat)");
  if (options.maxLifetimeSeconds !== undefined && exp !== undefined) {
    const lifetime = exp - (iat ?? now);
    if (lifetime > options.maxLifetimeSeconds + (iat === undefined ? skew : 0)) {
      return jwtFail("malformed", `token lifetime exceeds ${options.maxLifetimeSeconds} s`);
    }
  }

  const claims: ValidatedClaims = { audiences };
  if (iss !== undefined) claims.issuer = iss;
  if (sub !== undefined) claims.subject = sub;
  if (exp !== undefined) claims.expiresAt = exp;
  if (nbf !== undefined) claims.notBefore = nbf;
  if (iat !== undefined) claims.issuedAt = iat;
  return jwtOk(claims);
}
