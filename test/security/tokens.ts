// Test helpers: signing keys and hand-made JWTs, including the malformed and hostile ones the attack suite sends.
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string };
}

export async function testKey(kid: string, alg = "ES256"): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg, use: "sig" } };
}

export function sign(key: TestKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** `alg: none`, with an empty signature. */
export function unsignedToken(payload: Record<string, unknown>, kid?: string): string {
  return `${b64url({ alg: "none", typ: "JWT", ...(kid === undefined ? {} : { kid }) })}.${b64url(payload)}.`;
}

/** The classic key-confusion attack: HS256 with the verifier's PUBLIC key (its JWK JSON and its PEM) as HMAC secret. */
export async function hs256WithPublicKey(publicJwk: JWK & { kid: string }, payload: JWTPayload): Promise<string[]> {
  const secrets = [JSON.stringify(publicJwk), publicJwk.x ?? "", JSON.stringify({ keys: [publicJwk] })];
  return Promise.all(
    secrets.map((secret) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid })
        .sign(new TextEncoder().encode(secret)),
    ),
  );
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims of a mesh identity token for `service` in trust domain `td`. */
export function identityClaims(service: string, td = "cluster.local", overrides: JWTPayload = {}): JWTPayload {
  const iat = nowSeconds();
  return {
    iss: `spiffe://${td}`,
    aud: `flaremesh:${td}`,
    sub: `spiffe://${td}/ns/default/sa/${service}`,
    iat,
    nbf: iat,
    exp: iat + 600,
    jti: crypto.randomUUID(),
    ...overrides,
  };
}
