// Compact JWS signing with ES256 (WebCrypto's ECDSA signature is already the JWS r‖s form).
import { base64UrlEncode } from "../../../shared/security/jwt-decode";
import { ES256 } from "./signing-key";

export async function signJwt(payload: Record<string, unknown>, key: CryptoKey, kid: string): Promise<string> {
  const encode = (value: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)));
  const signingInput = `${encode({ alg: "ES256", typ: "JWT", kid })}.${encode(payload)}`;
  const signature = await crypto.subtle.sign(ES256, key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64UrlEncode(new Uint8Array(signature))}`;
}
