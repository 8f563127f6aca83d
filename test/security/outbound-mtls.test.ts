// Outbound mTLS: a proxy presents a client certificate to an origin through an `mtls_certificates` binding
// (emulated locally by a Miniflare `network` binding holding the keypair). The origin is a real Node HTTPS
// server that requires a client certificate signed by its own CA.
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { x509 } from "../../control/src/identity/x509";
import { validateDocuments } from "../../shared/validate";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { apply, errorCode, eventually } from "./mesh-helpers";

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

interface Issued {
  key: string;
  cert: string;
  keys: CryptoKeyPair;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
}

let serial = 1;
async function issue(
  subject: string,
  issuer: { name: string; keys: CryptoKeyPair } | null,
  extensions: x509.Extension[],
): Promise<Issued> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, "0"),
    subject,
    issuer: issuer?.name ?? subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3600_000),
    signingKey: (issuer?.keys ?? keys).privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions,
  });
  return {
    key: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey)),
    cert: cert.toString("pem"),
    keys,
  };
}

async function certificateAuthority(name: string): Promise<Issued & { name: string }> {
  const ca = await issue(`CN=${name}`, null, [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ]);
  return { ...ca, name: `CN=${name}` };
}

const leaf = (san: x509.JsonGeneralName[], usage: string) => [
  new x509.BasicConstraintsExtension(false, undefined, true),
  new x509.SubjectAlternativeNameExtension(san),
  new x509.ExtendedKeyUsageExtension([usage]),
];

interface Seen {
  path: string;
  subject: string;
  san: string;
}

let mesh: TestMesh;
let origin: https.Server;
let originUrl: string;
let caCert: string;
const seen: Seen[] = [];
const handshakeErrors: string[] = [];

beforeAll(async () => {
  const ca = await certificateAuthority("origin test CA");
  caCert = ca.cert;
  const foreignCa = await certificateAuthority("someone else's CA");
  const server = await issue(
    "CN=origin",
    ca,
    leaf(
      [
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ],
      x509.ExtendedKeyUsage.serverAuth,
    ),
  );
  const client = await issue(
    "CN=flaremesh-proxy",
    ca,
    leaf(
      [{ type: "url", value: "spiffe://cluster.local/ns/mesh/sa/flaremesh-proxy" }],
      x509.ExtendedKeyUsage.clientAuth,
    ),
  );
  const foreign = await issue(
    "CN=flaremesh-proxy",
    foreignCa,
    leaf(
      [{ type: "url", value: "spiffe://cluster.local/ns/mesh/sa/flaremesh-proxy" }],
      x509.ExtendedKeyUsage.clientAuth,
    ),
  );

  origin = https.createServer(
    { key: server.key, cert: server.cert, ca: [ca.cert], requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push({ path: req.url ?? "", subject: String(peer.subject?.CN ?? ""), san: peer.subjectaltname ?? "" });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ path: req.url, subject: peer.subject?.CN, san: peer.subjectaltname }));
    },
  );
  origin.on("tlsClientError", (err) => handshakeErrors.push(err.message));
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  originUrl = `https://127.0.0.1:${(origin.address() as AddressInfo).port}`;

  mesh = await startMesh({
    mtlsCertificates: {
      ORIGIN_MTLS: { certificateChain: client.cert, privateKey: client.key, trustedCertificates: [ca.cert] },
      ORIGIN_FOREIGN: { certificateChain: foreign.cert, privateKey: foreign.key, trustedCertificates: [ca.cert] },
    },
  });
  const service = (name: string, mtlsCertificate?: string) =>
    [
      "apiVersion: flaremesh.dev/v1alpha1",
      "kind: Service",
      `metadata: {name: ${name}}`,
      "spec:",
      "  endpoints:",
      `    - url: ${originUrl}/base`,
      ...(mtlsCertificate ? [`      mtlsCertificate: ${mtlsCertificate}`] : []),
    ].join("\n");
  await apply(
    mesh,
    [
      service("secure", "ORIGIN_MTLS"),
      service("plain"),
      service("foreign", "ORIGIN_FOREIGN"),
      service("unbound", "NO_SUCH_BINDING"),
    ].join("\n---\n"),
  );
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
  await new Promise<void>((resolve) => (origin ? origin.close(() => resolve()) : resolve()));
});

describe("outbound mTLS through an mtls_certificates binding", () => {
  it("presents the client certificate: the origin sees its subject and SAN and answers 200", async () => {
    const res = await eventually(async () => {
      const r = await mesh.fetch("secure.localhost", "/hello?x=1");
      expect(r.status, r.body).toBe(200);
      return r;
    });
    const body = JSON.parse(res.body) as { path: string; subject: string; san: string };
    expect(body).toEqual({
      path: "/base/hello?x=1",
      subject: "flaremesh-proxy",
      san: "URI:spiffe://cluster.local/ns/mesh/sa/flaremesh-proxy",
    });
    expect(seen.at(-1)?.subject).toBe("flaremesh-proxy");
  });

  it("the origin itself refuses a TLS client that presents no certificate (fixture check)", async () => {
    await expect(
      new Promise((resolve, reject) => {
        const req = https.request(`${originUrl}/base/direct`, { ca: [caCert], agent: false }, resolve);
        req.on("error", reject);
        req.end();
      }),
    ).rejects.toThrow();
  });

  // Locally the global fetch neither presents a client certificate nor trusts the origin's private CA, so
  // workerd gives up in the handshake; either way the client gets a mesh error and the origin sees nothing.
  it("without mtlsCertificate the origin is never reached: 502 upstream_unavailable", async () => {
    const before = seen.length;
    const res = await eventually(async () => {
      const r = await mesh.fetch("plain.localhost", "/hello");
      expect(r.status, r.body).toBe(502);
      return r;
    });
    expect(errorCode(res.body)).toBe("upstream_unavailable");
    expect(res.headers["x-mesh-error"]).toBe("upstream_unavailable");
    expect(seen.length).toBe(before);
  });

  it("a client certificate from a CA the origin does not trust is refused in the handshake: 502", async () => {
    const before = seen.length;
    const errorsBefore = handshakeErrors.length;
    const res = await eventually(async () => {
      const r = await mesh.fetch("foreign.localhost", "/hello");
      expect(r.status, r.body).toBe(502);
      return r;
    });
    expect(errorCode(res.body)).toBe("upstream_unavailable");
    expect(seen.length).toBe(before);
    // The origin refused the handshake itself (it verified the client certificate and rejected it).
    expect(handshakeErrors.length).toBeGreaterThan(errorsBefore);
  });

  it("an endpoint naming a binding the proxy does not have answers 502 with a code, never 500", async () => {
    const res = await eventually(async () => {
      const r = await mesh.fetch("unbound.localhost", "/hello");
      expect(r.status, r.body).toBe(502);
      return r;
    });
    expect(errorCode(res.body)).toBe("upstream_unavailable");
    expect(res.headers["x-mesh-error"]).toBe("upstream_unavailable");
  });
});

describe("Service endpoint mtlsCertificate validation", () => {
  const problems = (endpoint: Record<string, unknown>) => {
    const result = validateDocuments(
      [
        {
          apiVersion: "flaremesh.dev/v1alpha1",
          kind: "Service",
          metadata: { name: "pay" },
          spec: { endpoints: [endpoint] },
        },
      ],
      { environment: "development" },
    );
    return result.ok ? [] : result.problems;
  };

  it("accepts a binding name on an https endpoint", () => {
    expect(problems({ url: "https://pay.example.com", mtlsCertificate: "ORIGIN_MTLS" })).toEqual([]);
  });

  it.each([
    ["an http:// url", { url: "http://pay.example.com", mtlsCertificate: "ORIGIN_MTLS" }],
    ["a worker endpoint", { worker: "pay-v1", mtlsCertificate: "ORIGIN_MTLS" }],
    ["a lower-case binding name", { url: "https://pay.example.com", mtlsCertificate: "origin_mtls" }],
    ["an empty binding name", { url: "https://pay.example.com", mtlsCertificate: "" }],
  ])("rejects %s at spec.endpoints[0].mtlsCertificate", (_name, endpoint) => {
    expect(problems(endpoint)).toEqual([
      expect.objectContaining({ document: "Service/pay", path: "spec.endpoints[0].mtlsCertificate" }),
    ]);
  });
});
