// Signing workload CSRs into short-lived X.509 SVIDs: the CA, not the CSR, decides the identity.
import { MeshError } from "../../../shared/errors";
import { ES256, randomSerial } from "./signing-key";
import type { x509 as X509 } from "./x509";
import { loadX509 } from "./x509-loader";

/** Certificates live an hour unless asked otherwise, and never more than a day. */
export const DEFAULT_CERTIFICATE_TTL_SECONDS = 3600;
export const MAX_CERTIFICATE_TTL_SECONDS = 24 * 3600;
const MAX_CSR_CHARS = 16 * 1024;

export interface IssuedCertificate {
  certificate: string;
  spiffeId: string;
  /** epoch ms */
  notAfterMs: number;
}

/** Parses a PEM (or base64 DER) PKCS#10 request and checks its self-signature (proof of key possession). */
export async function readCsr(text: string): Promise<X509.Pkcs10CertificateRequest> {
  const x509 = await loadX509();
  if (text.length > MAX_CSR_CHARS) throw new MeshError("bad_request", "csr is too large");
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(text.trim());
  } catch {
    throw new MeshError("bad_request", "csr is not a PEM-encoded PKCS#10 certificate request", {
      details: [{ path: "csr", message: "expected -----BEGIN CERTIFICATE REQUEST-----" }],
    });
  }
  let valid: boolean;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new MeshError("bad_request", "csr signature does not verify", {
      details: [{ path: "csr", message: "the request must be signed by the key it certifies" }],
    });
  }
  return csr;
}

/**
 * An X.509 SVID: exactly one URI SAN (the SPIFFE ID), not a CA, digitalSignature, client and server auth.
 * Whatever subject or SANs the CSR asks for are ignored.
 */
export async function issueCertificate(input: {
  csr: X509.Pkcs10CertificateRequest;
  spiffeId: string;
  service: string;
  caCertificatePem: string;
  caKey: CryptoKey;
  nowMs: number;
  ttlSeconds: number;
}): Promise<IssuedCertificate> {
  const x509 = await loadX509();
  const ca = new x509.X509Certificate(input.caCertificatePem);
  const notAfterMs = Math.min(input.nowMs + input.ttlSeconds * 1000, ca.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `O=flaremesh, CN=${input.service.replace(/[^A-Za-z0-9._-]/g, "_")}`,
    issuer: ca.subject,
    notBefore: new Date(input.nowMs - 60_000),
    notAfter: new Date(notAfterMs),
    signingKey: input.caKey,
    publicKey: input.csr.publicKey,
    signingAlgorithm: ES256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: input.spiffeId }]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  return { certificate: cert.toString("pem"), spiffeId: input.spiffeId, notAfterMs };
}
