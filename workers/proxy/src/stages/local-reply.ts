// Local replies: routes the proxy answers itself (direct response, redirect) and CORS (Istio corsPolicy).
import type { CorsModel, RouteModel } from "../../../../shared/model/snapshot";
import { compileHostMatch, matchString, type CompiledString } from "../../../../shared/routing/matchers";
import { buildRedirect } from "../../../../shared/routing/redirect";
import type { ProxyContext, StageFactory } from "../context";
import { editableResponse } from "../http/editable-response";

interface CompiledCors {
  model: CorsModel;
  origins: CompiledString[];
  anyOrigin: boolean;
}

export const localReply: StageFactory = (config) => {
  const cors = new Map<RouteModel, CompiledCors>();
  for (const service of config.services.values()) {
    for (const r of service.model.routes) if (r.cors) cors.set(r, compileCors(r.cors));
  }
  return async function localReply(ctx: ProxyContext, next) {
    const match = ctx.match!;
    const r = match.route;
    if (r.directResponse) {
      const body = r.directResponse.body ?? null;
      return new Response(body, {
        status: r.directResponse.status,
        headers: body === null ? {} : { "content-type": "text/plain; charset=utf-8" },
      });
    }
    if (r.redirect) {
      const port = ctx.url.port === "" ? null : Number(ctx.url.port);
      const { status, location } = buildRedirect(
        r.redirect,
        {
          scheme: ctx.url.protocol.slice(0, -1),
          hostname: ctx.url.hostname,
          port,
          path: ctx.url.pathname,
          search: ctx.url.search,
        },
        match.prefixMatched,
      );
      return new Response(null, { status, headers: { location } });
    }
    const policy = cors.get(r);
    const origin = ctx.headers.original("origin");
    if (policy === undefined || origin === null || !originAllowed(policy, origin)) return next();
    if (ctx.request.method === "OPTIONS" && ctx.headers.original("access-control-request-method") !== null) {
      return preflight(policy, origin);
    }
    const res = await next();
    if (res.status === 101) return res;
    const answer = editableResponse(ctx, res);
    const h = answer.headers;
    h.set("access-control-allow-origin", origin);
    h.append("vary", "Origin");
    if (policy.model.allowCredentials) h.set("access-control-allow-credentials", "true");
    if (policy.model.exposeHeaders.length > 0)
      h.set("access-control-expose-headers", policy.model.exposeHeaders.join(","));
    return answer;
  };
};

function compileCors(model: CorsModel): CompiledCors {
  return {
    model,
    origins: model.allowOrigins.map(compileHostMatch),
    anyOrigin: model.allowOrigins.some((o) => o.type === "Exact" && o.value === "*"),
  };
}

/** Origins compare case-insensitively (scheme and host are case-insensitive). */
function originAllowed(policy: CompiledCors, origin: string): boolean {
  if (policy.anyOrigin) return true;
  const lower = origin.toLowerCase();
  return policy.origins.some((o) => matchString(o, lower));
}

/** Answers a preflight for an allowed origin; a disallowed origin's preflight goes upstream, as Envoy does. */
function preflight(policy: CompiledCors, origin: string): Response {
  const m = policy.model;
  const headers = new Headers({ "access-control-allow-origin": origin, vary: "Origin" });
  if (m.allowMethods.length > 0) headers.set("access-control-allow-methods", m.allowMethods.join(","));
  if (m.allowHeaders.length > 0) headers.set("access-control-allow-headers", m.allowHeaders.join(","));
  if (m.maxAgeSeconds !== undefined) headers.set("access-control-max-age", String(m.maxAgeSeconds));
  if (m.allowCredentials) headers.set("access-control-allow-credentials", "true");
  return new Response(null, { status: 200, headers });
}
