// The mesh CA in the control plane: sealed signing keys, JWKS, rotation, workload credentials, identity
// tokens, X.509 certificates from CSRs, and admin API tokens with roles.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { x509 } from "../../control/src/identity/x509";
import { ADMIN, VIEWER, applyYaml, call, callJson, serviceYaml, type ErrorBody } from "./api";

const plane = () => env.CONTROL_PLANE.getByName("mesh");

interface Jwks extends JSONWebKeySet {
  keys: (JSONWebKeySet["keys"][number] & { kid: string; x5c: string[]; d?: string })[];
}

async function jwks(): Promise<Jwks> {
  return (await callJson<Jwks>("/.well-known/jwks.json", { token: null })).body;
}

async function credentialFor(service: string): Promise<string> {
  const created = await callJson<{ service: string; credential: string }>("/v1/credentials", {
    body: JSON.stringify({ service }),
    contentType: "application/json",
  });
  expect(created.status).toBe(201);
  expect(created.body.service).toBe(service);
  return created.body.credential;
}

async function mint(credential: string) {
  return callJson<{ token: string; expiresAt: string } & ErrorBody>("/v1/identity/token", {
    method: "POST",
    token: credential,
  });
}

describe("signing keys", () => {
  it("publishes an ES256 public key with its root certificate, and never a private part", async () => {
    const set = await jwks();
    expect(set.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of set.keys) {
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(key.d).toBeUndefined();
      const root = new x509.X509Certificate(key.x5c[0]!);
      expect(await root.verify({ signatureOnly: true })).toBe(true);
    }
  });

  it("stores the private key sealed, never as PKCS#8", async () => {
    await jwks();
    const rows = await runInDurableObject(plane(), (_i, state) =>
      state.storage.sql
        .exec<{ kid: string; private_key: string | null; superseded_at: number | null }>(
          "SELECT kid, private_key, superseded_at FROM signing_keys",
        )
        .toArray(),
    );
    const current = rows.filter((r) => r.superseded_at === null);
    expect(current).toHaveLength(1);
    // PKCS#8 of a P-256 key begins with 0x30 0x81 0x87 ("MIGH" in base64); a sealed one is random bytes.
    expect(current[0]!.private_key).not.toMatch(/^MIG/);
    expect(rows.filter((r) => r.superseded_at !== null).every((r) => r.private_key === null)).toBe(true);
  });

  it("schedules the next rotation with a Durable Object alarm", async () => {
    await jwks();
    const alarm = await runInDurableObject(plane(), (_i, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm! - Date.now()).toBeGreaterThan(24 * 3600_000);
  });

  it("rotates on demand; the previous key stays published and its tokens keep verifying", async () => {
    const credential = await credentialFor("rotating");
    const before = await mint(credential);
    const oldKid = decodeProtectedHeader(before.body.token).kid;
    const rotated = await callJson<{ items: { kid: string; status: string }[] }>("/v1/keys/rotate", { method: "POST" });
    expect(rotated.status).toBe(200);
    const current = rotated.body.items.find((k) => k.status === "current")!;
    expect(current.kid).not.toBe(oldKid);
    expect(rotated.body.items.some((k) => k.kid === oldKid && k.status === "previous")).toBe(true);
    const set = await jwks();
    expect(set.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([current.kid, oldKid]));
    await jwtVerify(before.body.token, createLocalJWKSet(set), { algorithms: ["ES256"] });
    const after = await mint(credential);
    expect(decodeProtectedHeader(after.body.token).kid).toBe(current.kid);
  });

  it("rotation is admin-only", async () => {
    const response = await callJson<ErrorBody>("/v1/keys/rotate", { method: "POST", token: VIEWER });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("forbidden");
  });

  it("reports the root's expiry in /metrics", async () => {
    const text = await (await call("/metrics", { token: VIEWER })).text();
    const seconds = Number(/^mesh_ca_root_expiry_seconds (\d+)$/m.exec(text)?.[1]);
    expect(seconds).toBeGreaterThan(80 * 86_400);
  });
});

describe("workload identity", () => {
  it("mints a short-lived ES256 identity token whose sub is the SPIFFE ID", async () => {
    const credential = await credentialFor("billing");
    expect(credential).toMatch(/^fmw_/);
    const minted = await mint(credential);
    expect(minted.status).toBe(200);
    const { payload, protectedHeader } = await jwtVerify(minted.body.token, createLocalJWKSet(await jwks()), {
      algorithms: ["ES256"],
      issuer: "spiffe://cluster.local",
      audience: "flaremesh:cluster.local",
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.sub).toBe("spiffe://cluster.local/ns/default/sa/billing");
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
    expect(Date.parse(minted.body.expiresAt)).toBe(payload.exp! * 1000);
  });

  it("accepts namespace/name and keeps only the digest of the secret", async () => {
    const created = await callJson<{ service: string; namespace: string; credential: string }>("/v1/credentials", {
      body: JSON.stringify({ service: "prod/ledger" }),
      contentType: "application/json",
    });
    expect(created.body).toMatchObject({ service: "ledger", namespace: "prod" });
    const stored = await runInDurableObject(plane(), (_i, state) =>
      state.storage.sql.exec<{ digest: string }>("SELECT digest FROM workload_credentials").toArray(),
    );
    expect(JSON.stringify(stored)).not.toContain(created.body.credential);
    const listed = await call("/v1/credentials");
    expect(await listed.text()).not.toContain(created.body.credential);
  });

  it.each([[{}], [{ service: "a/b/c" }], [{ service: "bad name" }], [{ service: 42 }]])(
    "refuses an invalid body %j with bad_request",
    async (body) => {
      const response = await callJson<ErrorBody>("/v1/credentials", {
        body: JSON.stringify(body),
        contentType: "application/json",
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("bad_request");
    },
  );

  it("refuses an unknown credential, an admin token and a revoked credential with 401", async () => {
    for (const token of ["fmw_" + "A".repeat(43), ADMIN, "nonsense"]) {
      const response = await mint(token);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("unauthorized");
    }
    const credential = await credentialFor("revoked-one");
    expect((await mint(credential)).status).toBe(200);
    const revoked = await callJson("/v1/credentials/revoked-one", { method: "DELETE" });
    expect(revoked.status).toBe(200);
    const after = await mint(credential);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
    expect((await callJson<ErrorBody>("/v1/credentials/revoked-one", { method: "DELETE" })).status).toBe(404);
  });

  it("only the admin manages credentials", async () => {
    const response = await callJson<ErrorBody>("/v1/credentials", {
      body: JSON.stringify({ service: "x" }),
      contentType: "application/json",
      token: VIEWER,
    });
    expect(response.status).toBe(403);
  });
});

describe("X.509 certificates", () => {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

  async function csrFor(name: string): Promise<string> {
    const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: `CN=${name}`,
      keys,
      signingAlgorithm: alg,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: "url", value: "spiffe://cluster.local/ns/kube-system/sa/admin" },
        ]),
      ],
    });
    return csr.toString("pem");
  }

  it("signs a CSR into a short-lived SVID whose only URI SAN is the credential's SPIFFE ID", async () => {
    const credential = await credentialFor("payments");
    const issued = await callJson<{ certificate: string; chain: string[]; spiffeId: string; expiresAt: string }>(
      "/v1/certificates",
      { body: JSON.stringify({ csr: await csrFor("evil") }), contentType: "application/json", token: credential },
    );
    expect(issued.status).toBe(201);
    const cert = new x509.X509Certificate(issued.body.certificate);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.items.map((n) => n.value)).toEqual(["spiffe://cluster.local/ns/default/sa/payments"]);
    expect(cert.notAfter.getTime() - Date.now()).toBeLessThanOrEqual(3600_000 + 1000);
    const roots = issued.body.chain.map((pem) => new x509.X509Certificate(pem));
    const verified = await Promise.all(
      roots.map((root) => cert.verify({ publicKey: root.publicKey, signatureOnly: true })),
    );
    expect(verified).toContain(true);
  });

  it("refuses a garbage CSR (400) and a missing credential (401)", async () => {
    const credential = await credentialFor("payments-2");
    const bad = await callJson<ErrorBody>("/v1/certificates", {
      body: JSON.stringify({ csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----" }),
      contentType: "application/json",
      token: credential,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
    const anonymous = await callJson<ErrorBody>("/v1/certificates", {
      body: JSON.stringify({ csr: await csrFor("x") }),
      contentType: "application/json",
      token: null,
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("admin API tokens", () => {
  async function issue(role: string, token: string | null = ADMIN) {
    return callJson<{ id: string; role: string; token: string } & ErrorBody>("/v1/tokens", {
      body: JSON.stringify({ role }),
      contentType: "application/json",
      token,
    });
  }

  it("an editor applies (recorded as editor:<id>) but may not call admin-only endpoints", async () => {
    const editor = await issue("editor");
    expect(editor.status).toBe(201);
    expect(editor.body.token).toMatch(/^fma_/);
    const applied = await applyYaml(serviceYaml("by-editor"), "", editor.body.token);
    expect(applied.status).toBe(200);
    const history = await call("/v1/revisions", { token: editor.body.token });
    const text = await history.text();
    expect(text).not.toContain(editor.body.token);
    expect((JSON.parse(text) as { items: { actor: string }[] }).items.at(-1)?.actor).toBe(`editor:${editor.body.id}`);
    for (const [method, path] of [
      ["POST", "/v1/tokens"],
      ["POST", "/v1/keys/rotate"],
      ["POST", "/v1/credentials"],
      ["GET", "/v1/tokens"],
    ] as const) {
      const response = await callJson<ErrorBody>(path, {
        method,
        body: method === "POST" ? JSON.stringify({ role: "admin", service: "x" }) : undefined,
        contentType: "application/json",
        token: editor.body.token,
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe("forbidden");
    }
  });

  it("a viewer token reads but does not apply", async () => {
    const viewer = await issue("viewer");
    expect((await call("/v1/resources", { token: viewer.body.token })).status).toBe(200);
    const applied = await applyYaml(serviceYaml("by-viewer"), "", viewer.body.token);
    expect(applied.status).toBe(403);
  });

  it("a revoked or expired token is refused with 401", async () => {
    const editor = await issue("editor");
    expect((await call("/v1/resources", { token: editor.body.token })).status).toBe(200);
    const revoked = await callJson(`/v1/tokens/${editor.body.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    const after = await callJson<ErrorBody>("/v1/resources", { token: editor.body.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
    expect((await callJson(`/v1/tokens/tok_missing`, { method: "DELETE" })).status).toBe(404);
  });

  it("lists tokens without their secrets, and refuses unknown roles", async () => {
    const admin = await issue("admin");
    const list = await call("/v1/tokens");
    expect(await list.text()).not.toContain(admin.body.token);
    const bad = await issue("root");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
  });
});
