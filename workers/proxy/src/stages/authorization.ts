// Authorization (AuthorizationPolicy): CUSTOM, DENY, then ALLOW, on the verified principal, the end-user
// JWT and the request; a denial is 403 `forbidden`, and only the access log learns which policy decided.
import { MeshError } from "../../../../shared/errors";
import { evaluateAuthorization, normalizeRequestPath, type RequestAttributes } from "../../../../shared/security/index";
import type { ProxyContext, Stage, StageFactory } from "../context";
import { securityOf } from "../security/service-security";

/** Envoy's flag for a request refused by an authorization filter, as the access log shows it. */
const DENIED_FLAG = "UAEX";

export const authorization: StageFactory = () =>
  function authorization(ctx: ProxyContext, next) {
    const security = securityOf(ctx.destination);
    if (!security.hasAuthorization) return next();

    // Policies match the normalized path, and that same path goes upstream (no `/a/../admin` dodges).
    const path = normalizeRequestPath(ctx.url.pathname);
    if (path !== ctx.url.pathname) {
      ctx.url.pathname = path;
      ctx.upstreamPath = ctx.url.pathname;
    }
    const port = Number(ctx.url.port || (ctx.url.protocol === "https:" ? 443 : 80));
    const clientIp = ctx.mode === "ingress" ? (ctx.headers.original("cf-connecting-ip") ?? undefined) : undefined;
    const attrs: RequestAttributes = {
      method: ctx.request.method,
      path,
      host: ctx.url.host,
      port,
      headers: ctx.headers,
    };
    if (ctx.principal !== null) attrs.sourcePrincipal = ctx.principal;
    if (clientIp !== undefined) attrs.sourceIp = clientIp;
    if (ctx.endUser !== undefined) attrs.auth = ctx.endUser;
    const decision = evaluateAuthorization(security.authorization, attrs);
    ctx.authz = decision;
    if (decision.policy !== undefined) ctx.authzPolicy = decision.policy;
    if (decision.decision === "deny") {
      if (!ctx.responseFlags.includes(DENIED_FLAG)) ctx.responseFlags.push(DENIED_FLAG);
      throw new MeshError("forbidden", "RBAC: access denied");
    }
    return next();
  } satisfies Stage;
