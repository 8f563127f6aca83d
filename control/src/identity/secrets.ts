// Random bearer secrets (shown once) and the SHA-256 digests that are stored in their place.
import { base64UrlEncode } from "../../../shared/security/jwt-decode";

/** `<prefix><43 base64url chars>`: 256 bits from the runtime's CSPRNG. */
export function newSecret(prefix: string): string {
  return prefix + base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));
}

/** A short random id, e.g. `tok_3f9a0c1b7e2d`. */
export function newId(prefix: string): string {
  return prefix + hex(crypto.getRandomValues(new Uint8Array(6)));
}

/**
 * Hex SHA-256 of a secret. The secrets are 256 random bits, so a plain hash is enough: there is nothing
 * to brute-force, and a lookup by digest needs no per-row salt.
 */
export async function secretDigest(secret: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))));
}

export function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Admin API tokens issued through `POST /v1/tokens`. */
export const ADMIN_TOKEN_PREFIX = "fma_";
/** Workload credentials issued through `POST /v1/credentials`. */
export const CREDENTIAL_PREFIX = "fmw_";
/** Secrets have this exact shape; anything else is refused before any storage lookup. */
export function looksLikeSecret(value: string, prefix: string): boolean {
  return value.length === prefix.length + 43 && value.startsWith(prefix) && /^[A-Za-z0-9_-]+$/.test(value.slice(4));
}
