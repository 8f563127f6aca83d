// Peer authentication: who the caller is (service binding, client certificate, identity token), checked
// against the destination's PeerAuthentication mode: STRICT without a verified identity is 401.
import { MeshError } from "../../../../shared/errors";
import { choosePeerIdentity, decidePeer, type PeerIdentity } from "../../../../shared/security/index";
import type { ProxyContext, Next, Stage, StageFactory } from "../context";
import { certificatePeer } from "../security/client-certificate";
import { cachedIdentity, verifyIdentityToken, type IdentityCheck } from "../security/identity-token";
import { meshKeys, refreshMeshKeys } from "../security/mesh-keys";
import type { JwtResult } from "../../../../shared/security/jwt-result";
import type { VerifiedIdentity } from "../../../../shared/security/identity-token";

/**
 * Waits only for what is not known at once: a client certificate's listener proof, or a token whose signature
 * this isolate has not verified yet. A caller presenting a token it presented before is decided synchronously.
 */
export const peerAuthentication: StageFactory = (config) =>
  function peerAuthentication(ctx: ProxyContext, next) {
    const presented: PeerIdentity[] = [];
    // The identity stage named the binding's caller already (ctx.principal); the runtime vouches for it.
    if (ctx.caller !== null && ctx.principal !== null) presented.push({ kind: "binding", principal: ctx.principal });
    const certificate = certificatePeer(ctx);
    if (certificate instanceof Promise) {
      return certificate.then((c) => withToken(ctx, config.trustDomain, presented, c, next));
    }
    return withToken(ctx, config.trustDomain, presented, certificate, next);
  } satisfies Stage;

function withToken(
  ctx: ProxyContext,
  trustDomain: string,
  presented: PeerIdentity[],
  certificate: PeerIdentity,
  next: Next,
): Promise<Response> {
  presented.push(certificate);
  if (ctx.identityToken === null || ctx.identityToken === "") return decide(ctx, presented, next);
  const token = tokenPeer(ctx, trustDomain);
  if (token instanceof Promise) {
    return token.then((t) => {
      presented.push(t);
      return decide(ctx, presented, next);
    });
  }
  presented.push(token);
  return decide(ctx, presented, next);
}

function decide(ctx: ProxyContext, presented: PeerIdentity[], next: Next): Promise<Response> {
  const decision = decidePeer(ctx.destination.peerMode, choosePeerIdentity(presented));
  if (!decision.ok) {
    throw new MeshError(
      "unauthenticated",
      decision.reason === "identity_required"
        ? `${ctx.destination.key} requires a verified caller identity (mTLS STRICT)`
        : "the presented caller identity is not valid",
      { headers: { "www-authenticate": 'Bearer realm="flaremesh", error="invalid_token"' } },
    );
  }
  ctx.principal = decision.principal ?? null;
  ctx.peerVia = decision.via ?? null;
  if (ctx.principal === null) ctx.headers.delete("x-mesh-principal");
  else ctx.headers.set("x-mesh-principal", ctx.principal);
  return next();
}

function tokenPeer(ctx: ProxyContext, trustDomain: string): PeerIdentity | Promise<PeerIdentity> {
  const token = ctx.identityToken ?? "";
  const check: IdentityCheck = { trustDomain, nowMs: Date.now() };
  const cached = cachedIdentity(token, meshKeys(), check);
  return cached !== undefined ? peerOf(ctx, cached) : verifiedPeer(ctx, token, check);
}

async function verifiedPeer(ctx: ProxyContext, token: string, check: IdentityCheck): Promise<PeerIdentity> {
  let result = await verifyIdentityToken(token, meshKeys(), check);
  if (!result.ok && result.reason === "unknown_kid" && (await refreshMeshKeys(ctx.env))) {
    result = await verifyIdentityToken(token, meshKeys(), { ...check, nowMs: Date.now() });
  }
  return peerOf(ctx, result);
}

function peerOf(ctx: ProxyContext, result: JwtResult<VerifiedIdentity>): PeerIdentity {
  if (!result.ok) {
    ctx.authnFailure = `identity token: ${result.reason}`;
    return { kind: "invalid", detail: result.reason };
  }
  return { kind: "token", principal: result.value.principal };
}
