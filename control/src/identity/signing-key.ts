// A mesh CA generation: an ES256 key pair made in the runtime, its JWK (kid = RFC 7638 thumbprint) and a
// self-signed root certificate for X.509 SVIDs.
import { base64UrlEncode } from "../../../shared/security/jwt-decode";
import { loadX509 } from "./x509-loader";

export const ES256 = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** The public half as published in the JWKS (SPIFFE bundle style: `x5c` carries the root certificate). */
export interface PublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: "ES256";
  use: "sig";
  /** base64 DER of the root certificate of this key. */
  x5c: string[];
}

export interface NewSigningKey {
  kid: string;
  keys: CryptoKeyPair;
  publicJwk: PublicJwk;
  /** PKCS#8 of the private key, to be sealed at once and forgotten. */
  pkcs8: Uint8Array;
  certificatePem: string;
  notAfterMs: number;
}

/** RFC 7638 thumbprint of an EC public key. */
export async function thumbprint(jwk: { crv: string; kty: string; x: string; y: string }): Promise<string> {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return base64UrlEncode(new Uint8Array(digest));
}

export function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // a positive INTEGER
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function generateSigningKey(options: {
  nowMs: number;
  lifetimeMs: number;
  trustDomain: string;
}): Promise<NewSigningKey> {
  // Extractable only so that the private key can be sealed into storage; the signer re-imports it
  // non-extractable.
  const keys = (await crypto.subtle.generateKey(ES256, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = (await crypto.subtle.exportKey("jwk", keys.publicKey)) as JsonWebKey;
  const point = { crv: "P-256", kty: "EC", x: raw.x ?? "", y: raw.y ?? "" };
  const kid = await thumbprint(point);
  const notBefore = new Date(options.nowMs - 60_000);
  const notAfterMs = options.nowMs + options.lifetimeMs;
  const x509 = await loadX509();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=flaremesh mesh CA ${kid.slice(0, 8)}, O=flaremesh`,
    notBefore,
    notAfter: new Date(notAfterMs),
    keys,
    signingAlgorithm: ES256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: `spiffe://${options.trustDomain}` }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", keys.privateKey)) as ArrayBuffer);
  return {
    kid,
    keys,
    pkcs8,
    notAfterMs,
    certificatePem: certificate.toString("pem"),
    publicJwk: {
      kty: "EC",
      crv: "P-256",
      x: point.x,
      y: point.y,
      kid,
      alg: "ES256",
      use: "sig",
      x5c: [certificate.toString("base64")],
    },
  };
}

/** Re-imports a sealed private key for signing only; it cannot be exported again. */
export function importSigningKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", pkcs8, ES256, false, ["sign"]);
}
