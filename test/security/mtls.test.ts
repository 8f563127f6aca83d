// A real TLS handshake through the local mTLS listener (MESH_MTLS_PORT): a client certificate signed by
// the mesh CA identifies the caller; no certificate, or one from another CA, gets no connection at all.
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { x509 } from "../../control/src/identity/x509";
import { request, startLocalMesh, type LocalMesh, type MtlsListener } from "../../scripts/lib/local-mesh.mjs";
import { errorCode, eventually, peerAuthentication } from "./mesh-helpers";

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

let mesh: LocalMesh;
let listener: MtlsListener;

async function api(method: string, path: string, body?: unknown, token: string | null = mesh.adminToken) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await request(mesh.port, "control.localhost", path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { ...res, json: JSON.parse(res.body || "null") as Record<string, unknown> };
}

interface ClientIdentity {
  key: string;
  cert: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
}

/** A key made here, and a certificate for it from the mesh CA via `POST /v1/certificates`. */
async function meshIdentity(service: string): Promise<ClientIdentity> {
  const created = await api("POST", "/v1/credentials", { service });
  expect(created.status).toBe(201);
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${service}`,
    keys,
    signingAlgorithm: alg,
  });
  const issued = await api(
    "POST",
    "/v1/certificates",
    { csr: csr.toString("pem") },
    created.json["credential"] as string,
  );
  expect(issued.status, issued.body).toBe(201);
  return {
    key: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey)),
    cert: issued.json["certificate"] as string,
  };
}

/** A certificate with a mesh-looking SPIFFE ID, signed by a CA the mesh does not know. */
async function foreignIdentity(): Promise<ClientIdentity> {
  const caKeys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "0badca",
    subject: "CN=billing",
    issuer: "CN=flaremesh mesh CA",
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3600_000),
    signingKey: caKeys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: "url", value: "spiffe://cluster.local/ns/default/sa/billing" },
      ]),
    ],
  });
  return {
    key: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey)),
    cert: cert.toString("pem"),
  };
}

function tlsGet(
  path: string,
  host: string,
  client: ClientIdentity | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: listener.port,
        path,
        headers: { host, ...headers },
        servername: "localhost",
        ca: listener.serverCertificate,
        ...(client === null ? {} : { key: client.key, cert: client.cert }),
        agent: false,
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            authorized: (res.socket as TLSSocket).authorized,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const principalOf = (body: string) =>
  (JSON.parse(body) as { headers: Record<string, string> }).headers["x-mesh-principal"];

beforeAll(async () => {
  mesh = await startLocalMesh({ port: 0, demo: true, mtlsPort: 0 });
  listener = mesh.mtls!;
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
});

describe("local mTLS listener", () => {
  it("a client certificate signed by the mesh CA makes the caller its SPIFFE principal", async () => {
    const client = await meshIdentity("billing");
    const res = await tlsGet("/headers", "httpbin.localhost", client, {
      "x-mesh-principal": "cluster.local/ns/default/sa/admin",
    });
    expect(res.status).toBe(200);
    expect(res.authorized).toBe(true); // the client verified the listener too (pinned certificate)
    expect(principalOf(res.body)).toBe("cluster.local/ns/default/sa/billing");
  });

  it("without a client certificate there is no connection", async () => {
    await expect(tlsGet("/headers", "httpbin.localhost", null)).rejects.toThrow();
  });

  it("a certificate from another CA is refused in the handshake", async () => {
    await expect(tlsGet("/headers", "httpbin.localhost", await foreignIdentity())).rejects.toThrow();
  });

  it("STRICT: the mTLS caller passes, the same request on the plain port is 401", async () => {
    const client = await meshIdentity("reporting");
    const applied = await request(mesh.port, "control.localhost", "/v1/apply", {
      method: "POST",
      headers: { authorization: `Bearer ${mesh.adminToken}`, "content-type": "application/yaml" },
      body: peerAuthentication("httpbin-strict", "httpbin", "STRICT"),
    });
    expect(applied.status).toBe(200);
    await eventually(async () => expect((await request(mesh.port, "httpbin.localhost", "/headers")).status).toBe(401));
    const plain = await request(mesh.port, "httpbin.localhost", "/headers");
    expect(errorCode(plain.body)).toBe("unauthenticated");
    const viaTls = await tlsGet("/headers", "httpbin.localhost", client);
    expect(viaTls.status).toBe(200);
    expect(principalOf(viaTls.body)).toBe("cluster.local/ns/default/sa/reporting");
  });

  it("after a CA rotation, old and new certificates both work", async () => {
    const before = await meshIdentity("rotation-old");
    expect((await api("POST", "/v1/keys/rotate", {})).status).toBe(200);
    const after = await meshIdentity("rotation-new");
    expect((await tlsGet("/headers", "httpbin.localhost", before)).status).toBe(200);
    await eventually(async () => {
      const res = await tlsGet("/headers", "httpbin.localhost", after);
      expect(principalOf(res.body)).toBe("cluster.local/ns/default/sa/rotation-new");
    }, 15_000);
  }, 30_000);
});
