// Gateway API HTTPRoute filters, retry and timeouts → the route model's header mutations, redirect,
// rewrite, mirrors, CORS, retry and timeout.
import type {
  CorsModel,
  HeaderMutationModel,
  MirrorModel,
  RedirectModel,
  RetryModel,
  RewriteModel,
  RouteModel,
  StringMatchModel,
} from "../model/snapshot";
import type { HTTPHeaderFilter, HTTPPathModifier, HTTPRouteFilter, HTTPRouteRule } from "../resources/httproute";
import { durationToMs } from "../duration";
import { DEFAULT_RETRY_ATTEMPTS } from "./retry";

export function headerMutation(filter: HTTPHeaderFilter): HeaderMutationModel {
  return {
    set: (filter.set ?? []).map((h) => ({ name: h.name, value: h.value })),
    add: (filter.add ?? []).map((h) => ({ name: h.name, value: h.value })),
    remove: [...(filter.remove ?? [])],
  };
}

function pathModifier(p: HTTPPathModifier): { type: "ReplaceFullPath" | "ReplacePrefixMatch"; value: string } {
  return p.type === "ReplaceFullPath"
    ? { type: p.type, value: p.replaceFullPath ?? "/" }
    : { type: p.type, value: p.replacePrefixMatch ?? "/" };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Gateway API CORS origins: `*`, exact origins, or `https://*.example.com` wildcards. */
export function originMatch(origin: string): StringMatchModel {
  if (origin === "*") return { type: "Prefix", value: "" };
  if (!origin.includes("*")) return { type: "Exact", value: origin };
  return { type: "RegularExpression", value: `^${origin.split("*").map(escapeRegex).join("[^/]*")}$` };
}

export interface FilterParts {
  requestHeaders?: HeaderMutationModel;
  responseHeaders?: HeaderMutationModel;
  redirect?: RedirectModel;
  rewrite?: RewriteModel;
  mirrors: MirrorModel[];
  cors?: CorsModel;
}

/** Applies a rule's filters; `namespace` resolves mirror backendRefs without a namespace. */
export function compileFilters(filters: readonly HTTPRouteFilter[], namespace: string): FilterParts {
  const parts: FilterParts = { mirrors: [] };
  for (const f of filters) {
    if (f.requestHeaderModifier !== undefined) parts.requestHeaders = headerMutation(f.requestHeaderModifier);
    if (f.responseHeaderModifier !== undefined) parts.responseHeaders = headerMutation(f.responseHeaderModifier);
    const r = f.requestRedirect;
    if (r !== undefined) {
      const redirect: RedirectModel = { statusCode: r.statusCode ?? 302 };
      if (r.scheme !== undefined) redirect.scheme = r.scheme;
      if (r.hostname !== undefined) redirect.hostname = r.hostname;
      if (r.port !== undefined) redirect.port = r.port;
      if (r.path !== undefined) redirect.path = pathModifier(r.path);
      parts.redirect = redirect;
    }
    const u = f.urlRewrite;
    if (u !== undefined) {
      const rewrite: RewriteModel = {};
      if (u.hostname !== undefined) rewrite.hostname = u.hostname;
      if (u.path !== undefined) rewrite.path = pathModifier(u.path);
      parts.rewrite = rewrite;
    }
    const m = f.requestMirror;
    if (m !== undefined) {
      let percent = 100;
      if (m.percent !== undefined) percent = m.percent;
      else if (m.fraction !== undefined) percent = (m.fraction.numerator / (m.fraction.denominator ?? 100)) * 100;
      parts.mirrors.push({ service: `${m.backendRef.namespace ?? namespace}/${m.backendRef.name}`, percent });
    }
    const c = f.cors;
    if (c !== undefined) {
      const cors: CorsModel = {
        allowOrigins: (c.allowOrigins ?? []).map(originMatch),
        allowMethods: [...(c.allowMethods ?? [])],
        allowHeaders: [...(c.allowHeaders ?? [])],
        exposeHeaders: [...(c.exposeHeaders ?? [])],
      };
      if (c.maxAge !== undefined) cors.maxAgeSeconds = c.maxAge;
      if (c.allowCredentials !== undefined) cors.allowCredentials = c.allowCredentials;
      parts.cors = cors;
    }
  }
  return parts;
}

/** `timeouts` and `retry` of a rule. `backendRequest` is the per-try timeout when retries are on. */
export function compileTimeoutsAndRetry(rule: HTTPRouteRule): Pick<RouteModel, "timeoutMs" | "retry"> {
  const out: Pick<RouteModel, "timeoutMs" | "retry"> = {};
  const requestMs = rule.timeouts?.request !== undefined ? durationToMs(rule.timeouts.request) : 0;
  const backendMs = rule.timeouts?.backendRequest !== undefined ? durationToMs(rule.timeouts.backendRequest) : 0;
  if (rule.retry !== undefined) {
    const retry: RetryModel = {
      attempts: rule.retry.attempts ?? DEFAULT_RETRY_ATTEMPTS,
      // Gateway API requires retrying connection errors; listed codes are always retriable.
      retryOn: ["connect-failure", "reset"],
      codes: [...(rule.retry.codes ?? [])],
    };
    if (backendMs > 0) retry.perTryTimeoutMs = backendMs;
    const backoffMs = rule.retry.backoff !== undefined ? durationToMs(rule.retry.backoff) : 0;
    if (backoffMs > 0) retry.backoffBaseMs = backoffMs;
    out.retry = retry;
    if (requestMs > 0) out.timeoutMs = requestMs;
  } else {
    // Without retries the single backend request is the whole request: the tighter bound wins.
    const bounds = [requestMs, backendMs].filter((ms) => ms > 0);
    if (bounds.length > 0) out.timeoutMs = Math.min(...bounds);
  }
  return out;
}
