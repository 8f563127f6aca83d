// Private signing keys at rest: AES-256-GCM under a key derived with HKDF from a Worker secret.
import { base64UrlDecode, base64UrlEncode } from "../../../shared/security/jwt-decode";
import { meshEnvironment, type ControlEnv } from "../env";

const SALT = new TextEncoder().encode("flaremesh/key-encryption/v1");
const INFO = new TextEncoder().encode("mesh-ca-signing-key");

export interface SealedKey {
  /** base64url AES-GCM ciphertext + tag. */
  ciphertext: string;
  /** base64url 96-bit nonce. */
  iv: string;
}

/**
 * The secret keys are sealed under: `MESH_KEY_ENCRYPTION_KEY`; in local development only, when it is unset,
 * the admin token (the development token unless `MESH_ADMIN_TOKEN` is set) — so a local mesh needs no
 * extra setup, and changing the admin token there makes the old keys unreadable (they are then replaced).
 */
export function keyEncryptionSecret(env: ControlEnv): string | null {
  if (env.MESH_KEY_ENCRYPTION_KEY) return env.MESH_KEY_ENCRYPTION_KEY;
  if (meshEnvironment(env) === "development" && env.MESH_ADMIN_TOKEN) return `dev:${env.MESH_ADMIN_TOKEN}`;
  return null;
}

const derived = new Map<string, Promise<CryptoKey>>();

function wrappingKey(secret: string): Promise<CryptoKey> {
  let key = derived.get(secret);
  if (key === undefined) {
    key = crypto.subtle
      .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"])
      .then((ikm) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: SALT, info: INFO },
          ikm,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    derived.set(secret, key);
  }
  return key;
}

/** Seals `plaintext`; `aad` (the key id) binds the ciphertext to its row so rows cannot be swapped. */
export async function seal(secret: string, plaintext: Uint8Array, aad: string): Promise<SealedKey> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) },
    await wrappingKey(secret),
    plaintext,
  );
  return { ciphertext: base64UrlEncode(new Uint8Array(data)), iv: base64UrlEncode(iv) };
}

/** Opens a sealed key; null when the secret changed or the row was tampered with. */
export async function open(secret: string, sealed: SealedKey, aad: string): Promise<Uint8Array | null> {
  const ciphertext = base64UrlDecode(sealed.ciphertext);
  const iv = base64UrlDecode(sealed.iv);
  if (ciphertext === null || iv === null) return null;
  try {
    const data = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) },
      await wrappingKey(secret),
      ciphertext,
    );
    return new Uint8Array(data);
  } catch {
    return null;
  }
}
