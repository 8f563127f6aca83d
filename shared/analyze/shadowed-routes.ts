// Routes no request can reach: a VirtualService entry after one that already takes all its traffic, and an
// HTTPRoute match identical to one of higher Gateway API precedence. Only certain cases are reported.
import type { Resource } from "../resources/resource";
import type { HTTPRouteResource, VirtualServiceResource } from "../resources/registry";
import { ofKind } from "../resources/registry";
import type { HTTPMatchRequest } from "../resources/virtualservice";
import type { StringMatch } from "../resources/istio-common";
import type { HTTPRouteMatch } from "../resources/httproute";
import { isServiceParent } from "../resources/httproute";
import { compareResourceAge } from "../compile/order";
import type { Finding } from "./finding";
import { finding, labelOf } from "./finding";

/** Match fields whose meaning the analyzer knows; a match using any other field is never judged. */
const KNOWN_FIELDS = new Set([
  "name",
  "uri",
  "method",
  "authority",
  "headers",
  "queryParams",
  "withoutHeaders",
  "ignoreUriCase",
]);

type Match = HTTPMatchRequest;

function onlyKnownFields(m: Match): boolean {
  return Object.keys(m).every((k) => KNOWN_FIELDS.has(k) && (k !== "ignoreUriCase" || m.uri !== undefined));
}

/** Whether every string `later` accepts is accepted by `earlier` (certain cases only). */
function stringCovers(earlier: StringMatch | undefined, later: StringMatch | undefined, fold = false): boolean {
  if (earlier === undefined) return true;
  if (later === undefined) return false;
  const f = (s: string | undefined) => (s !== undefined && fold ? s.toLowerCase() : s);
  if (earlier.exact !== undefined) return later.exact !== undefined && f(later.exact) === f(earlier.exact);
  if (earlier.prefix !== undefined) {
    const text = f(later.exact ?? later.prefix);
    return text !== undefined && text.startsWith(f(earlier.prefix) ?? "");
  }
  if (earlier.regex !== undefined) return later.regex === earlier.regex;
  return true; // `{}`: the key is present, which any condition on `later` implies
}

function mapCovers(
  earlier: Record<string, StringMatch> | undefined,
  later: Record<string, StringMatch> | undefined,
  lowerKeys: boolean,
): boolean {
  const norm = (m: Record<string, StringMatch> | undefined) =>
    new Map(Object.entries(m ?? {}).map(([k, v]) => [lowerKeys ? k.toLowerCase() : k, v]));
  const l = norm(later);
  return [...norm(earlier)].every(([k, v]) => stringCovers(v, l.get(k)));
}

function sameStringMatch(a: StringMatch | undefined, b: StringMatch | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A match on the whole URI space: no uri condition, or `prefix: /` (or empty). */
function uriCovers(earlier: Match, later: Match): boolean {
  const e = earlier.uri;
  if (e === undefined || e.prefix === "/" || e.prefix === "") return true;
  if (earlier.ignoreUriCase !== true && later.ignoreUriCase === true) return false;
  return stringCovers(e, later.uri, earlier.ignoreUriCase === true);
}

/** Whether every request `later` matches is also matched by `earlier`. */
export function istioMatchCovers(earlier: Match, later: Match): boolean {
  if (!onlyKnownFields(earlier) || !onlyKnownFields(later)) return false;
  if (!uriCovers(earlier, later)) return false;
  if (earlier.method !== undefined && !sameStringMatch(earlier.method, later.method)) return false;
  if (earlier.authority !== undefined && !stringCovers(earlier.authority, later.authority, true)) return false;
  if (!mapCovers(earlier.headers, later.headers, true)) return false;
  if (!mapCovers(earlier.queryParams, later.queryParams, false)) return false;
  const without = new Map(Object.entries(later.withoutHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(earlier.withoutHeaders ?? {}).every(([k, v]) =>
    sameStringMatch(v, without.get(k.toLowerCase())),
  );
}

const CATCH_ALL: Match = {};

function virtualServiceShadows(vs: VirtualServiceResource): Finding[] {
  const out: Finding[] = [];
  const http = vs.spec.http ?? [];
  http.forEach((entry, j) => {
    if (entry.delegate !== undefined) return;
    const matches = entry.match !== undefined && entry.match.length > 0 ? entry.match : [CATCH_ALL];
    let coveredBy: number | undefined;
    const allCovered = matches.every((later) => {
      for (let i = 0; i < j; i++) {
        const earlier = http[i];
        if (earlier === undefined || earlier.delegate !== undefined) continue;
        const earlierMatches = earlier.match !== undefined && earlier.match.length > 0 ? earlier.match : [CATCH_ALL];
        if (earlierMatches.some((e) => istioMatchCovers(e, later))) {
          coveredBy = Math.max(coveredBy ?? 0, i);
          return true;
        }
      }
      return false;
    });
    if (!allCovered || coveredBy === undefined) return;
    const catchAll = (http[coveredBy]?.match ?? []).length === 0;
    out.push(
      finding(
        vs,
        "warning",
        "route-shadowed",
        `spec.http[${j}]`,
        catchAll
          ? `unreachable: spec.http[${coveredBy}] has no match and takes every request first (entries are tried in order)`
          : `unreachable: every request it matches is already matched by an earlier entry (spec.http[${coveredBy}]); entries are tried in order`,
      ),
    );
  });
  return out;
}

interface RouteMatchRef {
  route: HTTPRouteResource;
  rule: number;
  match: number | undefined;
  key: string;
}

/** Gateway API defaults made explicit, header names lower-cased, lists sorted: equal keys ⇔ equal matches. */
function normalizedMatch(m: HTTPRouteMatch): string {
  const kv = (list: HTTPRouteMatch["headers"], lower: boolean) =>
    (list ?? [])
      .map((h) => [lower ? h.name.toLowerCase() : h.name, h.type ?? "Exact", h.value])
      .sort((a, b) => (String(a) < String(b) ? -1 : 1));
  return JSON.stringify([
    m.path?.type ?? "PathPrefix",
    m.path?.value ?? "/",
    m.method ?? null,
    kv(m.headers, true),
    kv(m.queryParams, false),
  ]);
}

function httpRouteShadows(routes: readonly HTTPRouteResource[]): Finding[] {
  const byParent = new Map<string, HTTPRouteResource[]>();
  for (const route of routes) {
    const parents = new Set(
      (route.spec.parentRefs ?? [])
        .filter(isServiceParent)
        .map((ref) => `${ref.namespace ?? route.metadata.namespace}/${ref.name}`),
    );
    for (const parent of parents) byParent.set(parent, [...(byParent.get(parent) ?? []), route]);
  }
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const [parent, attached] of byParent) {
    // Ties in precedence go to the oldest route, then rule order, then match order (Gateway API).
    const ordered = [...attached].sort(compareResourceAge);
    const first = new Map<string, RouteMatchRef>();
    for (const route of ordered) {
      (route.spec.rules ?? []).forEach((rule, r) => {
        const matches = rule.matches !== undefined && rule.matches.length > 0 ? rule.matches : [undefined];
        const shadowedBy = matches.map((m, k): RouteMatchRef | undefined => {
          const key = normalizedMatch(m ?? {});
          const earlier = first.get(key);
          if (earlier === undefined) first.set(key, { route, rule: r, match: m === undefined ? undefined : k, key });
          return earlier;
        });
        if (!shadowedBy.every((s) => s !== undefined)) return;
        const by = shadowedBy[0] as RouteMatchRef;
        const id = `${labelOf(route)}#${r}`;
        if (reported.has(id)) return;
        reported.add(id);
        const where =
          by.route === route ? "" : ` of HTTPRoute ${by.route.metadata.namespace}/${by.route.metadata.name}`;
        const what = matches.length === 1 ? "its match is identical to" : "each of its matches is identical to one of";
        out.push(
          finding(
            route,
            "warning",
            "route-shadowed",
            `spec.rules[${r}]`,
            `unreachable on Service ${parent}: ${what} spec.rules[${by.rule}]${where}, which takes precedence`,
          ),
        );
      });
    }
  }
  return out;
}

export function shadowedRoutes(resources: readonly Resource[]): Finding[] {
  return [
    ...ofKind(resources, "VirtualService").flatMap(virtualServiceShadows),
    ...httpRouteShadows(ofKind(resources, "HTTPRoute")),
  ];
}
