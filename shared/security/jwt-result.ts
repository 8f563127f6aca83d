// The closed set of reasons a JWT is refused, and the Result type every JWT check returns.

export type JwtFailureReason =
  | "malformed"
  | "too_large"
  | "alg_not_allowed"
  | "unknown_kid"
  /** Produced by the signature verifier (outside shared/, it needs crypto.subtle). */
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "wrong_issuer"
  | "wrong_audience";

export type JwtResult<T> = { ok: true; value: T } | { ok: false; reason: JwtFailureReason; message: string };

export function jwtOk<T>(value: T): JwtResult<T> {
  return { ok: true, value };
}

export function jwtFail<T = never>(reason: JwtFailureReason, message: string): JwtResult<T> {
  return { ok: false, reason, message };
}
