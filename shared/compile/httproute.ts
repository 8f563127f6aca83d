// HTTPRoutes attached to a Service (GAMMA) → one ordered route list, sorted by Gateway API precedence.
import type { BackendModel, KeyValueMatchModel, RouteMatchModel, RouteModel } from "../model/snapshot";
import type { HTTPRouteResource } from "../resources/registry";
import type { HTTPRouteMatch, HTTPRouteRule } from "../resources/httproute";
import { isServiceParent } from "../resources/httproute";
import { compareResourceAge } from "./order";
import { compileFilters, compileTimeoutsAndRetry } from "./httproute-filters";
import { groupByKeys } from "./group-by-keys";

/** One (rule, match) pair: the unit Gateway API precedence orders. */
interface MatchEntry {
  route: HTTPRouteResource;
  ruleIndex: number;
  matchIndex: number;
  rule: HTTPRouteRule;
  match: HTTPRouteMatch;
}

/**
 * The HTTPRoutes attached to each Service (`namespace/name`) by their Service parentRefs, in list order; a route
 * naming one Service twice is listed once. One pass, so compiling a mesh is linear in its routes.
 */
export function routesByParent(routes: readonly HTTPRouteResource[]): Map<string, HTTPRouteResource[]> {
  return groupByKeys(routes, (r) =>
    (r.spec.parentRefs ?? [])
      .filter(isServiceParent)
      .map((ref) => `${ref.namespace ?? r.metadata.namespace}/${ref.name}`),
  );
}

const MATCH_ALL: HTTPRouteMatch = { path: { type: "PathPrefix", value: "/" } };

function pathOf(match: HTTPRouteMatch): { type: "Exact" | "PathPrefix" | "RegularExpression"; value: string } {
  return { type: match.path?.type ?? "PathPrefix", value: match.path?.value ?? "/" };
}

/**
 * Gateway API precedence between two matches: Exact path first, then the longest path value, then a
 * method match, then most header matches, then most query param matches; ties go to the oldest route,
 * then `namespace/name` order, then rule and match order.
 */
export function comparePrecedence(a: MatchEntry, b: MatchEntry): number {
  const pa = pathOf(a.match);
  const pb = pathOf(b.match);
  const exact = Number(pb.type === "Exact") - Number(pa.type === "Exact");
  if (exact !== 0) return exact;
  if (pa.value.length !== pb.value.length) return pb.value.length - pa.value.length;
  const method = Number(b.match.method !== undefined) - Number(a.match.method !== undefined);
  if (method !== 0) return method;
  const headers = (b.match.headers?.length ?? 0) - (a.match.headers?.length ?? 0);
  if (headers !== 0) return headers;
  const query = (b.match.queryParams?.length ?? 0) - (a.match.queryParams?.length ?? 0);
  if (query !== 0) return query;
  const age = a.route === b.route ? 0 : compareResourceAge(a.route, b.route);
  if (age !== 0) return age;
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
}

function keyValues(
  list: { type?: "Exact" | "RegularExpression"; name: string; value: string }[] | undefined,
  lower: boolean,
): KeyValueMatchModel[] {
  return (list ?? []).map((m) => ({
    name: lower ? m.name.toLowerCase() : m.name,
    type: m.type ?? "Exact",
    value: m.value,
  }));
}

function matchModel(match: HTTPRouteMatch): RouteMatchModel {
  const model: RouteMatchModel = {
    path: pathOf(match),
    headers: keyValues(match.headers, true),
    queryParams: keyValues(match.queryParams, false),
  };
  if (match.method !== undefined) model.method = match.method;
  return model;
}

/**
 * A rule's backends. GAMMA (GEP-1426): a rule that names no backendRefs and does not redirect sends
 * traffic to the parent Service's own endpoints.
 */
function backends(rule: HTTPRouteRule, namespace: string, parentKey: string): BackendModel[] {
  if ((rule.backendRefs ?? []).length === 0) {
    const redirects = (rule.filters ?? []).some((f) => f.type === "RequestRedirect");
    return redirects ? [] : [{ service: parentKey, weight: 1 }];
  }
  return (rule.backendRefs ?? []).map((ref) => {
    const backend: BackendModel = { service: `${ref.namespace ?? namespace}/${ref.name}`, weight: ref.weight ?? 1 };
    const parts = compileFilters(ref.filters ?? [], namespace);
    if (parts.requestHeaders !== undefined) backend.requestHeaders = parts.requestHeaders;
    if (parts.responseHeaders !== undefined) backend.responseHeaders = parts.responseHeaders;
    return backend;
  });
}

function routeModel(entry: MatchEntry, parentKey: string): RouteModel {
  const ns = entry.route.metadata.namespace;
  const parts = compileFilters(entry.rule.filters ?? [], ns);
  const model: RouteModel = {
    id: `HTTPRoute/${ns}/${entry.route.metadata.name}#rule${entry.ruleIndex}.match${entry.matchIndex}`,
    matches: [matchModel(entry.match)],
    backends: backends(entry.rule, ns, parentKey),
    mirrors: parts.mirrors,
    ...compileTimeoutsAndRetry(entry.rule),
  };
  if (parts.requestHeaders !== undefined) model.requestHeaders = parts.requestHeaders;
  if (parts.responseHeaders !== undefined) model.responseHeaders = parts.responseHeaders;
  if (parts.redirect !== undefined) model.redirect = parts.redirect;
  if (parts.rewrite !== undefined) model.rewrite = parts.rewrite;
  if (parts.cors !== undefined) model.cors = parts.cors;
  return model;
}

/**
 * The merged, precedence-ordered routes of every HTTPRoute attached to a service: one RouteModel per
 * (rule, match) pair, because precedence is decided per match. A rule without matches matches all
 * (PathPrefix "/"). Requests matching none of them get `404 no_route`, as Gateway API requires (and as
 * with a VirtualService). `parentKey` is the Service the routes are attached to.
 */
export function compileHttpRoutes(routes: readonly HTTPRouteResource[], parentKey: string): RouteModel[] {
  const entries: MatchEntry[] = [];
  for (const route of routes) {
    (route.spec.rules ?? []).forEach((rule, ruleIndex) => {
      const matches = rule.matches !== undefined && rule.matches.length > 0 ? rule.matches : [MATCH_ALL];
      matches.forEach((match, matchIndex) => entries.push({ route, ruleIndex, matchIndex, rule, match }));
    });
  }
  return entries.sort(comparePrecedence).map((entry) => routeModel(entry, parentKey));
}
