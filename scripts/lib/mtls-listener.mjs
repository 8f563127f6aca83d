// The local mutual-TLS listener (contract §3, MESH_MTLS_PORT): an HTTPS server that requires a client
// certificate signed by the mesh CA and hands the verified certificate to the proxy as
// `request.cf.tlsClientAuth`, the way Cloudflare's edge does. The trust bundle is the `x5c` of the mesh
// JWKS, re-read every few seconds so that a CA rotation is picked up.
import https from "node:https";
import { webcrypto as crypto } from "node:crypto";
import { setInterval, clearInterval } from "node:timers";
import { Readable } from "node:stream";
import { request } from "./local-mesh.mjs";

/** The header by which this listener proves to the proxy that it set `request.cf` (see client-certificate.ts). */
export const LISTENER_PROOF_HEADER = "x-mesh-tls-listener";
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "http2-settings",
  LISTENER_PROOF_HEADER,
]);

/** tsyringe (under @peculiar/x509) wants Reflect metadata functions to exist; nothing here uses them. */
function reflectShim() {
  if (typeof Reflect.getMetadata === "function") return;
  const store = new WeakMap();
  const own = (k, t) => store.get(t)?.get(k);
  Reflect.defineMetadata = (k, v, t) => {
    if (!store.has(t)) store.set(t, new Map());
    store.get(t).set(k, v);
  };
  Reflect.getOwnMetadata = own;
  Reflect.getMetadata = (k, t) => {
    for (let o = t; o; o = Object.getPrototypeOf(o)) if (own(k, o) !== undefined) return own(k, o);
    return undefined;
  };
  Reflect.hasMetadata = (k, t) => Reflect.getMetadata(k, t) !== undefined;
  Reflect.metadata = (k, v) => (t) => Reflect.defineMetadata(k, v, t);
}

async function loadX509() {
  reflectShim();
  return import("@peculiar/x509");
}

/** The mesh CA roots (PEM) from the control plane's public JWKS. */
export async function fetchMeshCa(meshPort) {
  const res = await request(meshPort, "control.localhost", "/.well-known/jwks.json");
  if (res.status !== 200) throw new Error(`JWKS: ${res.status} ${res.body}`);
  const roots = [];
  for (const key of JSON.parse(res.body).keys ?? []) {
    for (const der of key.x5c ?? []) {
      roots.push(`-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`);
    }
  }
  if (roots.length === 0) throw new Error("the mesh JWKS has no CA certificate (x5c)");
  return roots;
}

/** A throwaway self-signed server certificate for localhost (clients pin it or skip server verification). */
async function serverIdentity() {
  const x509 = await loadX509();
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(8)))
      .toString("hex")
      .replace(/^[89a-f]/, "1"),
    name: "CN=flaremesh local mTLS listener",
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 30 * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "dns", value: "*.localhost" },
        { type: "ip", value: "127.0.0.1" },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g).join("\n")}\n-----END PRIVATE KEY-----\n`;
  return { key, cert: cert.toString("pem") };
}

/** What Cloudflare puts in `request.cf.tlsClientAuth` for a verified client certificate. */
function tlsClientAuthOf(peer) {
  const dn = (o) =>
    Object.entries(o ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`)
      .join(",");
  return {
    certPresented: "1",
    certVerified: "SUCCESS",
    certRevoked: "0",
    certSubjectDN: dn(peer.subject),
    certIssuerDN: dn(peer.issuer),
    certSubjectDNRFC2253: dn(peer.subject),
    certIssuerDNRFC2253: dn(peer.issuer),
    certNotBefore: peer.valid_from,
    certNotAfter: peer.valid_to,
    certSerial: peer.serialNumber,
    certFingerprintSHA1: (peer.fingerprint ?? "").replace(/:/g, "").toLowerCase(),
    certFingerprintSHA256: (peer.fingerprint256 ?? "").replace(/:/g, "").toLowerCase(),
    certRFC9440: `:${peer.raw.toString("base64")}:`,
    certRFC9440TooLarge: false,
  };
}

/**
 * Starts the listener. `mf` is the local mesh's Miniflare (requests go in through `dispatchFetch` with a
 * per-request `cf`), `meshPort` its plain port (for the CA), `secret` the proxy's MESH_TLS_LISTENER_SECRET.
 */
export async function startMtlsListener({ mf, meshPort, secret, port = 0, host = "127.0.0.1", refreshMs = 5_000 }) {
  const server_ = await serverIdentity();
  let ca = await fetchMeshCa(meshPort);
  const server = https.createServer(
    { key: server_.key, cert: server_.cert, ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      forward(req, res).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(502, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              error: { code: "upstream_unavailable", message: String(err?.message ?? err), details: [] },
            }),
          );
        } else res.destroy(err);
      });
    },
  );

  async function forward(req, res) {
    // rejectUnauthorized: a request only gets here after the chain verified against the mesh CA.
    const peer = req.socket.getPeerCertificate(false);
    if (!req.client.authorized || !peer?.raw) throw new Error("no verified client certificate");
    const headers = new globalThis.Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (HOP_BY_HOP.has(name) || name.startsWith(":") || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    headers.set(LISTENER_PROOF_HEADER, secret);
    const authority = req.headers.host ?? "localhost";
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const response = await mf.dispatchFetch(`http://${authority}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? Readable.toWeb(req) : undefined,
      duplex: hasBody ? "half" : undefined,
      redirect: "manual",
      cf: { tlsClientAuth: tlsClientAuthOf(peer), tlsVersion: req.socket.getProtocol?.() ?? "TLSv1.3" },
    });
    const out = {};
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") out[name] = value;
    });
    const cookies = response.headers.getSetCookie?.() ?? [];
    if (cookies.length > 0) out["set-cookie"] = cookies;
    res.writeHead(response.status, out);
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  }

  const timer = setInterval(() => {
    fetchMeshCa(meshPort)
      .then((next) => {
        if (next.join() !== ca.join()) {
          ca = next;
          server.setSecureContext({ key: server_.key, cert: server_.cert, ca });
        }
      })
      .catch(() => {});
  }, refreshMs);
  timer.unref();

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return {
    port: actual,
    url: `https://${host}:${actual}`,
    /** The listener's own (self-signed) certificate, for clients that pin it. */
    serverCertificate: server_.cert,
    caCertificates: () => ca,
    async close() {
      clearInterval(timer);
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
