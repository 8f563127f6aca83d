// Istio VirtualService http[] actions → route model parts: redirect, rewrite, retries, fault, CORS,
// header operations, mirrors and direct responses (retries: ./retry).
import type {
  CorsModel,
  FaultModel,
  HeaderMutationModel,
  MirrorModel,
  RedirectModel,
  RewriteModel,
  RouteModel,
  StringMatchModel,
} from "../model/snapshot";
import type { HeaderOperations, StringMatch } from "../resources/istio-common";
import type { VirtualServiceHTTPRoute } from "../resources/virtualservice";
import { durationToMs } from "../duration";

/** Istio StringMatch → model; undefined for an empty match (`{}`). */
export function stringMatchModel(m: StringMatch): StringMatchModel | undefined {
  if (m.exact !== undefined) return { type: "Exact", value: m.exact };
  if (m.prefix !== undefined) return { type: "Prefix", value: m.prefix };
  if (m.regex !== undefined) return { type: "RegularExpression", value: m.regex };
  return undefined;
}

export function headerOperations(ops: HeaderOperations): HeaderMutationModel {
  return {
    set: Object.entries(ops.set ?? {}).map(([name, value]) => ({ name, value })),
    add: Object.entries(ops.add ?? {}).map(([name, value]) => ({ name, value })),
    remove: [...(ops.remove ?? [])],
  };
}

export function redirectModel(r: NonNullable<VirtualServiceHTTPRoute["redirect"]>): RedirectModel {
  const model: RedirectModel = { statusCode: r.redirectCode ?? 301 };
  if (r.uri !== undefined) model.path = { type: "ReplaceFullPath", value: r.uri };
  if (r.authority !== undefined) model.hostname = r.authority;
  if (r.port !== undefined) model.port = r.port;
  if (r.scheme !== undefined) model.scheme = r.scheme;
  return model;
}

/**
 * Istio `rewrite.uri` replaces the matched prefix when the route matched on a prefix (or on no uri at
 * all: the empty prefix), and the whole path when every match is exact or regex.
 */
export function rewriteModel(http: VirtualServiceHTTPRoute): RewriteModel | undefined {
  const r = http.rewrite;
  if (r === undefined) return undefined;
  const model: RewriteModel = {};
  if (r.authority !== undefined) model.hostname = r.authority;
  if (r.uri !== undefined) {
    const matches = http.match ?? [];
    const fullPath =
      matches.length > 0 && matches.every((m) => m.uri?.exact !== undefined || m.uri?.regex !== undefined);
    model.path = { type: fullPath ? "ReplaceFullPath" : "ReplacePrefixMatch", value: r.uri };
  }
  if (r.uriRegexRewrite !== undefined) {
    // The rewrite keeps RE2's `\1` group references; the proxy translates them (shared/routing/rewrite.ts).
    model.path = { type: "RegexReplace", value: r.uriRegexRewrite.rewrite, pattern: r.uriRegexRewrite.match };
  }
  return model;
}

export function faultModel(f: NonNullable<VirtualServiceHTTPRoute["fault"]>): FaultModel | undefined {
  const model: FaultModel = {};
  if (f.delay?.fixedDelay !== undefined) {
    model.delay = {
      ms: durationToMs(f.delay.fixedDelay),
      percent: f.delay.percentage?.value ?? f.delay.percent ?? 100,
    };
  }
  if (f.abort?.httpStatus !== undefined)
    model.abort = { status: f.abort.httpStatus, percent: f.abort.percentage?.value ?? 100 };
  return model.delay === undefined && model.abort === undefined ? undefined : model;
}

export function corsModel(c: NonNullable<VirtualServiceHTTPRoute["corsPolicy"]>): CorsModel {
  const origins = (c.allowOrigins ?? []).flatMap((m) => {
    const model = stringMatchModel(m);
    return model === undefined ? [] : [model];
  });
  for (const o of c.allowOrigin ?? [])
    origins.push(o === "*" ? { type: "Prefix", value: "" } : { type: "Exact", value: o });
  const model: CorsModel = {
    allowOrigins: origins,
    allowMethods: [...(c.allowMethods ?? [])],
    allowHeaders: [...(c.allowHeaders ?? [])],
    exposeHeaders: [...(c.exposeHeaders ?? [])],
  };
  if (c.maxAge !== undefined) model.maxAgeSeconds = Math.ceil(durationToMs(c.maxAge) / 1000);
  if (c.allowCredentials !== undefined) model.allowCredentials = c.allowCredentials;
  return model;
}

/** `mirror` + `mirrorPercentage` (or the older `mirrorPercent` / `mirror_percent`), and `mirrors[]`. */
export function mirrorModels(
  http: VirtualServiceHTTPRoute,
  resolve: (host: string) => string | undefined,
): MirrorModel[] {
  const out: MirrorModel[] = [];
  const add = (dest: { host: string; subset?: string | undefined }, percent: number) => {
    const service = resolve(dest.host);
    if (service === undefined) return;
    const model: MirrorModel = { service, percent };
    if (dest.subset !== undefined) model.subset = dest.subset;
    out.push(model);
  };
  if (http.mirror !== undefined)
    add(http.mirror, http.mirrorPercentage?.value ?? http.mirrorPercent ?? http.mirror_percent ?? 100);
  for (const m of http.mirrors ?? []) add(m.destination, m.percentage?.value ?? 100);
  return out;
}

function decodeBase64(text: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text.replace(/=+$/, "")) {
    buffer = (buffer << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

export function directResponseModel(
  d: NonNullable<VirtualServiceHTTPRoute["directResponse"]>,
): NonNullable<RouteModel["directResponse"]> {
  const model: NonNullable<RouteModel["directResponse"]> = { status: d.status };
  if (d.body?.string !== undefined) model.body = d.body.string;
  else if (d.body?.bytes !== undefined) model.body = decodeBase64(d.body.bytes);
  return model;
}
