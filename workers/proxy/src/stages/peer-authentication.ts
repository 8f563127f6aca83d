// Peer authentication: who the caller is (service binding, client certificate, identity token), checked
// against the destination's PeerAuthentication mode: STRICT without a verified identity is 401.
import { MeshError } from "../../../../shared/errors";
import { choosePeerIdentity, decidePeer, type PeerIdentity } from "../../../../shared/security/index";
import type { ProxyContext, Stage, StageFactory } from "../context";
import { certificatePeer } from "../security/client-certificate";
import { verifyIdentityToken } from "../security/identity-token";
import { meshKeys, refreshMeshKeys } from "../security/mesh-keys";
import { securityOf } from "../security/service-security";

export const peerAuthentication: StageFactory = (config) =>
  async function peerAuthentication(ctx: ProxyContext, next) {
    const presented: PeerIdentity[] = [];
    // The identity stage named the binding's caller already (ctx.principal); the runtime vouches for it.
    if (ctx.caller !== null && ctx.principal !== null) presented.push({ kind: "binding", principal: ctx.principal });
    presented.push(await certificatePeer(ctx));
    if (ctx.identityToken !== null && ctx.identityToken !== "")
      presented.push(await tokenPeer(ctx, config.trustDomain));

    const decision = decidePeer(securityOf(ctx.destination).peerMode, choosePeerIdentity(presented));
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
  } satisfies Stage;

async function tokenPeer(ctx: ProxyContext, trustDomain: string): Promise<PeerIdentity> {
  const token = ctx.identityToken ?? "";
  const check = { trustDomain, nowMs: Date.now() };
  let result = await verifyIdentityToken(token, meshKeys(), check);
  if (!result.ok && result.reason === "unknown_kid" && (await refreshMeshKeys(ctx.env))) {
    result = await verifyIdentityToken(token, meshKeys(), { ...check, nowMs: Date.now() });
  }
  if (!result.ok) {
    ctx.authnFailure = `identity token: ${result.reason}`;
    return { kind: "invalid", detail: result.reason };
  }
  return { kind: "token", principal: result.value.principal };
}
