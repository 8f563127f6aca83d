// The caller a verified client certificate names: `request.cf.tlsClientAuth`, set by the TLS terminator
// (Cloudflare's edge, or the local mTLS listener), never by anything a client sends on the plain port.
import { parseSpiffeId, principalFor, type PeerIdentity } from "../../../../shared/security/index";
import type { ProxyContext } from "../context";
import { derFromRfc9440, uriSubjectAltNames } from "./uri-san";

/** Header by which the local mTLS listener proves it set `request.cf` (a per-run secret). */
export const LISTENER_PROOF_HEADER = "x-mesh-tls-listener";

interface TlsClientAuth {
  certPresented?: unknown;
  certVerified?: unknown;
  /** RFC 9440 `:base64 DER:` of the leaf certificate (Cloudflare's `certRFC9440`). */
  certRFC9440?: unknown;
}

/**
 * Locally every client can send Miniflare's `MF-CF-Blob` header and so choose `request.cf` itself; the
 * local mesh therefore gives the proxy a secret (`MESH_TLS_LISTENER_SECRET`) that only its mTLS listener
 * knows, and without that proof `request.cf` is ignored. On Cloudflare (no secret) `request.cf` is the edge's.
 */
async function proofMatches(proof: string, secret: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(proof)),
    crypto.subtle.digest("SHA-256", encoder.encode(secret)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

const NONE: PeerIdentity = Object.freeze({ kind: "none" });

/** The caller's verified client certificate, if any; a promise only when the listener's proof must be checked. */
export function certificatePeer(ctx: ProxyContext): PeerIdentity | Promise<PeerIdentity> {
  const proof = ctx.headers.original(LISTENER_PROOF_HEADER);
  ctx.headers.delete(LISTENER_PROOF_HEADER);
  // Egress arrives over a service binding: the caller Worker could set any `cf`; its binding is its identity.
  if (ctx.mode !== "ingress") return NONE;
  const secret = ctx.env.MESH_TLS_LISTENER_SECRET;
  const needsProof = secret !== undefined && secret !== "";
  // Without the listener's proof `request.cf` is the client's own: not worth reading (reading it is not free).
  if (needsProof && proof === null) return NONE;
  const auth = (ctx.request as { cf?: { tlsClientAuth?: TlsClientAuth } }).cf?.tlsClientAuth;
  if (auth === undefined || auth === null || auth.certPresented !== "1") return NONE;
  if (!needsProof) return presentedCertificate(ctx, auth);
  return proofMatches(proof ?? "", secret).then((ok) => (ok ? presentedCertificate(ctx, auth) : NONE));
}

/** What a presented certificate proves, once `request.cf` is known to come from the listener (or the edge). */
function presentedCertificate(ctx: ProxyContext, auth: TlsClientAuth): PeerIdentity {
  if (auth.certVerified !== "SUCCESS") return { kind: "invalid", detail: "client certificate not verified" };
  const der = typeof auth.certRFC9440 === "string" ? derFromRfc9440(auth.certRFC9440) : null;
  const uris = der === null ? null : uriSubjectAltNames(der);
  const spiffe = (uris ?? []).filter((u) => u.startsWith("spiffe://"));
  const id = spiffe.length === 1 ? parseSpiffeId(spiffe[0] ?? "") : null;
  if (id === null || id.trustDomain !== ctx.config.trustDomain) {
    return { kind: "invalid", detail: "client certificate has no SPIFFE ID of this mesh" };
  }
  return { kind: "certificate", principal: principalFor(id.trustDomain, id.namespace, id.serviceAccount) };
}
