// The attack suite of issue 5 against a running mesh: every forged, replayed or misused credential is
// refused with its error code, and identity headers cannot be spoofed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { startUpstream, type Upstream } from "../helpers/processes";
import {
  apply,
  credential,
  echoed,
  errorCode,
  eventually,
  identityToken,
  peerAuthentication,
  remove,
} from "./mesh-helpers";
import { hs256WithPublicKey, identityClaims, nowSeconds, sign, testKey, unsignedToken, type TestKey } from "./tokens";

let mesh: TestMesh;
let meshJwk: { kid: string; x: string; y: string; kty: string; crv: string };
let billingToken: string;

beforeAll(async () => {
  mesh = await startMesh({ demo: true });
  billingToken = await identityToken(mesh, await credential(mesh, "billing"));
  const jwks = await mesh.api("GET", "/.well-known/jwks.json", undefined, { token: null });
  meshJwk = (jwks.json as { keys: (typeof meshJwk)[] }).keys[0]!;
  await apply(mesh, peerAuthentication("httpbin-strict", "httpbin", "STRICT"));
  await eventually(async () => expect((await mesh.fetch("httpbin.localhost", "/headers")).status).toBe(401));
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
});

const headersCall = (headers: Record<string, string>) => mesh.fetch("httpbin.localhost", "/headers", { headers });

describe("peer authentication (STRICT)", () => {
  it("refuses a request without identity with 401 unauthenticated", async () => {
    const res = await headersCall({});
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthenticated");
    expect(res.headers["x-mesh-error"]).toBe("unauthenticated");
  });

  it("accepts a mesh identity token; the service sees the principal, never the token", async () => {
    const res = await headersCall({ "x-mesh-identity": billingToken });
    expect(res.status).toBe(200);
    const seen = echoed(res.body);
    expect(seen["x-mesh-principal"]).toBe("cluster.local/ns/default/sa/billing");
    expect(seen["x-mesh-identity"]).toBeUndefined();
  });

  const forged: [string, () => Promise<string | string[]>][] = [
    ["alg: none", async () => unsignedToken(identityClaims("admin"), meshJwk.kid)],
    ["HS256 signed with the mesh's public key", () => hs256WithPublicKey(meshJwk, identityClaims("admin"))],
    ["unknown kid", async () => sign(await testKey("no-such-kid"), identityClaims("admin"))],
    ["a token from another mesh", async () => sign(await testKey("other-mesh"), identityClaims("admin", "other.mesh"))],
    ["another key claiming the mesh kid", async () => sign(await testKey(meshJwk.kid), identityClaims("admin"))],
    ["an oversized token", async () => billingToken + "A".repeat(9000)],
    [
      "a mesh token whose payload was swapped",
      async () => {
        const [h, , s] = billingToken.split(".");
        return `${h}.${Buffer.from(JSON.stringify(identityClaims("admin"))).toString("base64url")}.${s}`;
      },
    ],
    ["garbage", async () => "not-a-jwt"],
  ];

  it.each(forged)("refuses %s with 401 unauthenticated", async (_name, make) => {
    const made = await make();
    for (const token of Array.isArray(made) ? made : [made]) {
      const res = await headersCall({ "x-mesh-identity": token });
      expect(res.status).toBe(401);
      expect(errorCode(res.body)).toBe("unauthenticated");
    }
  });

  it("a spoofed x-mesh-principal does not authenticate", async () => {
    const res = await headersCall({ "x-mesh-principal": "cluster.local/ns/default/sa/billing" });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthenticated");
  });

  it("forged client-certificate fields on the plain port never count as a verified certificate", async () => {
    // A real certificate signed by the mesh CA, so only the channel is wrong.
    const forgedCf = {
      tlsClientAuth: {
        certPresented: "1",
        certVerified: "SUCCESS",
        certRFC9440: `:${await realCertificateDer()}:`,
        certSubjectDN: "CN=billing",
      },
    };
    const res = await headersCall({
      "mf-cf-blob": JSON.stringify(forgedCf),
      "x-mesh-tls-listener": "guessed-secret",
      "x-forwarded-client-cert":
        "By=spiffe://cluster.local/ns/default/sa/httpbin;URI=spiffe://cluster.local/ns/default/sa/billing",
      "cf-client-cert-der-base64": "AAAA",
      "cf-client-cert-verified": "SUCCESS",
    });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthenticated");
  });
});

describe("identity headers under PERMISSIVE", () => {
  beforeAll(async () => {
    await apply(mesh, peerAuthentication("httpbin-strict", "httpbin", "PERMISSIVE"));
    await eventually(async () => expect((await headersCall({})).status).toBe(200));
  });
  afterAll(async () => {
    await apply(mesh, peerAuthentication("httpbin-strict", "httpbin", "STRICT"));
    await eventually(async () => expect((await headersCall({})).status).toBe(401));
  });

  it("strips a spoofed x-mesh-principal and sets none for an anonymous caller", async () => {
    const res = await headersCall({ "x-mesh-principal": "cluster.local/ns/default/sa/productpage" });
    expect(res.status).toBe(200);
    expect(echoed(res.body)["x-mesh-principal"]).toBeUndefined();
  });

  it("forged certificate fields leave the caller anonymous", async () => {
    const cf = {
      tlsClientAuth: { certPresented: "1", certVerified: "SUCCESS", certRFC9440: `:${await realCertificateDer()}:` },
    };
    const res = await headersCall({ "mf-cf-blob": JSON.stringify(cf) });
    expect(res.status).toBe(200);
    const seen = echoed(res.body);
    expect(seen["x-mesh-principal"]).toBeUndefined();
    expect(seen["x-mesh-tls-listener"]).toBeUndefined();
  });

  it("an invalid identity token is refused even though anonymous callers pass", async () => {
    const res = await headersCall({ "x-mesh-identity": unsignedToken(identityClaims("billing"), meshJwk.kid) });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthenticated");
  });
});

describe("the mesh's default mTLS mode (MeshConfig defaultMtlsMode)", () => {
  const MESH_STRICT = `apiVersion: flaremesh.dev/v1alpha1
kind: MeshConfig
metadata: {name: default}
spec: {defaultMtlsMode: STRICT}
`;
  afterAll(async () => {
    await remove(mesh, "MeshConfig", "default");
    await apply(mesh, peerAuthentication("httpbin-strict", "httpbin", "STRICT"));
  });

  it("applies where no PeerAuthentication decides, and follows the MeshConfig when it changes", async () => {
    // details has no PeerAuthentication; httpbin's says PERMISSIVE, which wins over the mesh's default.
    await apply(mesh, peerAuthentication("httpbin-strict", "httpbin", "PERMISSIVE"));
    await eventually(async () => expect((await headersCall({})).status).toBe(200));
    expect((await mesh.fetch("details.localhost", "/details/0")).status).toBe(200);

    await apply(mesh, MESH_STRICT);
    await eventually(async () => {
      const res = await mesh.fetch("details.localhost", "/details/0");
      expect(res.status).toBe(401);
      expect(errorCode(res.body)).toBe("unauthenticated");
    });
    expect((await headersCall({})).status).toBe(200);
    const withIdentity = await mesh.fetch("details.localhost", "/details/0", {
      headers: { "x-mesh-identity": billingToken },
    });
    expect(withIdentity.status).toBe(200);

    // Without the MeshConfig, Istio's default (PERMISSIVE) again.
    await remove(mesh, "MeshConfig", "default");
    await eventually(async () => expect((await mesh.fetch("details.localhost", "/details/0")).status).toBe(200));
  });
});

describe("credentials and admin roles", () => {
  it("a credential used after revocation is refused (401 unauthorized)", async () => {
    const secret = await credential(mesh, "revoked-workload");
    const before = await identityToken(mesh, secret);
    expect((await mesh.api("DELETE", "/v1/credentials/revoked-workload")).status).toBe(200);
    const res = await mesh.api("POST", "/v1/identity/token", undefined, { token: secret });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthorized");
    // Tokens minted before revocation stay valid until they expire (at most 1 h; documented).
    expect((await headersCall({ "x-mesh-identity": before })).status).toBe(200);
  });

  it("an editor calling an admin-only endpoint is refused (403 forbidden)", async () => {
    const issued = await mesh.api("POST", "/v1/tokens", { role: "editor" });
    expect(issued.status).toBe(201);
    const editor = (issued.json as { token: string }).token;
    for (const [method, path, body] of [
      ["POST", "/v1/tokens", { role: "admin" }],
      ["POST", "/v1/keys/rotate", {}],
      ["POST", "/v1/credentials", { service: "sneaky" }],
      ["DELETE", "/v1/credentials/billing", undefined],
    ] as const) {
      const res = await mesh.api(method, path, body, { token: editor });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(errorCode(res.body)).toBe("forbidden");
    }
    expect((await mesh.api("GET", "/v1/resources", undefined, { token: editor })).status).toBe(200);
  });
});

describe("request authentication (end-user JWTs)", () => {
  let issuerKey: TestKey;
  const issuer = "https://issuer.example";

  beforeAll(async () => {
    issuerKey = await testKey("user-key-1");
    await apply(mesh, peerAuthentication("httpbin-strict", "httpbin", "PERMISSIVE"));
    await apply(
      mesh,
      `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: httpbin-jwt
  namespace: default
spec:
  selector:
    matchLabels:
      app: httpbin
  jwtRules:
    - issuer: ${issuer}
      audiences: [bookinfo]
      jwks: '${JSON.stringify({ keys: [issuerKey.publicJwk] })}'
      outputClaimToHeaders:
        - header: x-jwt-sub
          claim: sub
    - issuer: ${issuer}/header
      jwks: '${JSON.stringify({ keys: [issuerKey.publicJwk] })}'
      fromHeaders:
        - name: x-user-token
      forwardOriginalToken: true
`,
    );
    await eventually(async () => {
      expect((await headersCall({})).status).toBe(200);
      const res = await headersCall({ authorization: `Bearer ${await userToken({ iss: "https://nobody" })}` });
      expect(res.status).toBe(401);
    });
  });
  afterAll(async () => {
    await remove(mesh, "RequestAuthentication", "httpbin-jwt");
  });

  function userToken(overrides: Record<string, unknown> = {}, key?: TestKey): Promise<string> {
    const iat = nowSeconds();
    return sign(key ?? issuerKey, { iss: issuer, sub: "alice", aud: "bookinfo", iat, exp: iat + 300, ...overrides });
  }

  it("accepts a valid token, strips it, and copies claims to headers", async () => {
    const res = await headersCall({ authorization: `Bearer ${await userToken()}`, "x-jwt-sub": "mallory" });
    expect(res.status).toBe(200);
    const seen = echoed(res.body);
    expect(seen["x-jwt-sub"]).toBe("alice");
    expect(seen["authorization"]).toBeUndefined();
  });

  it("drops a spoofed claim header from an anonymous request", async () => {
    const res = await headersCall({ "x-jwt-sub": "admin" });
    expect(res.status).toBe(200);
    expect(echoed(res.body)["x-jwt-sub"]).toBeUndefined();
  });

  it("reads fromHeaders and forwards the original token when asked", async () => {
    const token = await userToken({ iss: `${issuer}/header`, aud: undefined });
    const res = await headersCall({ "x-user-token": token });
    expect(res.status).toBe(200);
    expect(echoed(res.body)["x-user-token"]).toBe(token);
  });

  const now = nowSeconds();
  const bad: [string, () => Promise<string>][] = [
    [
      "alg: none",
      async () => unsignedToken({ iss: issuer, sub: "alice", aud: "bookinfo", exp: now + 300 }, "user-key-1"),
    ],
    [
      "HS256 signed with the issuer's public key",
      async () =>
        (await hs256WithPublicKey(issuerKey.publicJwk, { iss: issuer, sub: "a", aud: "bookinfo", exp: now + 300 }))[0]!,
    ],
    ["wrong iss", () => userToken({ iss: "https://evil.example" })],
    ["wrong aud", () => userToken({ aud: "someone-else" })],
    ["expired", () => userToken({ iat: now - 1000, exp: now - 300 })],
    ["nbf in the future", () => userToken({ nbf: now + 600 })],
    ["unknown kid", async () => userToken({}, await testKey("user-key-unknown"))],
    ["oversized", () => userToken({ pad: "x".repeat(9000) })],
  ];

  it.each(bad)("refuses %s with 401 unauthenticated", async (_name, make) => {
    const res = await headersCall({ authorization: `Bearer ${await make()}` });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthenticated");
  });
});

describe("request authentication with jwksUri", () => {
  let jwksServer: Upstream;
  let keys: TestKey[];
  const issuer = "https://remote-issuer.example";

  beforeAll(async () => {
    keys = [await testKey("remote-1")];
    jwksServer = await startUpstream("jwks", (_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    });
    await apply(
      mesh,
      `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: httpbin-remote-jwt
  namespace: default
spec:
  selector:
    matchLabels:
      app: httpbin
  jwtRules:
    - issuer: ${issuer}
      jwksUri: ${jwksServer.url}/jwks.json
`,
    );
  });
  afterAll(async () => {
    await remove(mesh, "RequestAuthentication", "httpbin-remote-jwt");
    await jwksServer?.close();
  });

  const token = (key: TestKey) => {
    const iat = nowSeconds();
    return sign(key, { iss: issuer, sub: "bob", iat, exp: iat + 300 });
  };

  it("fetches the keys, caches them, and refreshes on an unknown kid", async () => {
    await eventually(async () => {
      const res = await headersCall({ authorization: `Bearer ${await token(keys[0]!)}` });
      expect(res.status).toBe(200);
    });
    const fetches = jwksServer.requests.length;
    expect((await headersCall({ authorization: `Bearer ${await token(keys[0]!)}` })).status).toBe(200);
    expect(jwksServer.requests.length).toBe(fetches);
    keys.push(await testKey("remote-2"));
    await eventually(async () => {
      const res = await headersCall({ authorization: `Bearer ${await token(keys[1]!)}` });
      expect(res.status).toBe(200);
    }, 15_000);
    expect(jwksServer.requests.length).toBeGreaterThan(fetches);
  }, 30_000);
});

/** base64 DER of a certificate the mesh CA really issued (for the forged-channel tests). */
async function realCertificateDer(): Promise<string> {
  const { x509 } = await import("../../control/src/identity/x509");
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=billing", keys, signingAlgorithm: alg });
  const secret = await credential(mesh, "billing-cert");
  const res = await mesh.api("POST", "/v1/certificates", { csr: csr.toString("pem") }, { token: secret });
  expect(res.status, res.body).toBe(201);
  return new x509.X509Certificate((res.json as { certificate: string }).certificate).toString("base64");
}
