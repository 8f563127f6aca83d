// Splitting and decoding a compact JWS WITHOUT verifying it — only to pick the rule and the key.
import { jwtFail, jwtOk, type JwtResult } from "./jwt-result";

/** Tokens above this size are refused before any decoding (header-bomb / CPU protection). */
export const MAX_JWT_BYTES = 8 * 1024;

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `<header>.<payload>` exactly as received: the bytes the signature covers. */
  signingInput: string;
  signature: Uint8Array;
  /** The payload segment as received (base64url), e.g. for `outputPayloadToHeader`. */
  payloadSegment: string;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Strict base64url (RFC 4648 §5, no padding): refuses other alphabets, padding, and non-zero trailing
 * bits, so each byte string has exactly one accepted encoding.
 */
export function base64UrlDecode(segment: string): Uint8Array | null {
  if (segment.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((segment.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] ?? -1) : -1;
    if (v < 0) return null;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (buffer >> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0) return null;
  return out.subarray(0, j);
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(buffer >> bits) & 63];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (6 - bits)) & 63];
  return out;
}

/** A base64url segment holding a UTF-8 JSON object; null for anything else. */
export function decodeJsonSegment(segment: string): Record<string, unknown> | null {
  const bytes = base64UrlDecode(segment);
  if (bytes === null) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Size first, then shape: exactly three base64url segments (a JWE's five are refused), header and payload
 * JSON objects. The signature may be empty here so that `alg: none` is reported as `alg_not_allowed` by
 * the header check rather than as `malformed`.
 */
export function decodeJwt(token: string, maxBytes: number = MAX_JWT_BYTES): JwtResult<DecodedJwt> {
  if (token.length > maxBytes) return jwtFail("too_large", `token is larger than ${maxBytes} bytes`);
  if (!COMPACT_JWS.test(token)) return jwtFail("malformed", "token is not a compact JWS (three base64url segments)");
  const [h = "", p = "", s = ""] = token.split(".");
  const header = decodeJsonSegment(h);
  if (header === null) return jwtFail("malformed", "token header is not a base64url JSON object");
  const payload = decodeJsonSegment(p);
  if (payload === null) return jwtFail("malformed", "token payload is not a base64url JSON object");
  const signature = base64UrlDecode(s);
  if (signature === null) return jwtFail("malformed", "token signature is not base64url");
  return jwtOk({ header, payload, signingInput: `${h}.${p}`, signature, payloadSegment: p });
}
