// Compiles a service's ordered routes into an indexed table, once per config revision.
import type { RouteMatchModel, RouteModel, ServiceModel } from "../model/snapshot";
import {
  compileHostMatch,
  compileKeyValue,
  compilePath,
  regexLiteralPrefix,
  type CompiledKeyValue,
  type CompiledPath,
  type CompiledString,
} from "./matchers";
import { compileRegexRewrite, type CompiledRegexRewrite } from "./rewrite";

export interface CompiledMatch {
  path: CompiledPath | null;
  headers: CompiledKeyValue[];
  query: CompiledKeyValue[];
  method: string | null;
  authority: CompiledString | null;
}

export interface CompiledRoute {
  route: RouteModel;
  /** Position in the service's route list (the precedence order). */
  index: number;
  matches: CompiledMatch[];
  /** Pre-compiled `RegexReplace` rewrite, when the route has one. */
  regexRewrite: CompiledRegexRewrite | null;
}

/** One (route, match) pair; `match` is -1 for a route without matches (it matches every request). */
export interface Candidate {
  route: number;
  match: number;
}

/**
 * Candidate ids are positions in `candidates`, which is in precedence order, so every bucket is a sorted
 * list of ids and the first id that verifies is the winner, whatever bucket it came from.
 */
export interface CompiledRouteTable {
  routes: CompiledRoute[];
  candidates: Candidate[];
  /** Exact-path conditions, keyed by the lower-cased path. */
  exact: Map<string, number[]>;
  /** Prefix conditions whose first path segment is fixed, keyed by that lower-cased segment. */
  segment: Map<string, number[]>;
  /** Everything that cannot be indexed: regexes, catch-all prefixes, matches without a path. */
  fallback: number[];
  /** Conditions that can never match (e.g. a regex JavaScript cannot compile), for logs. */
  problems: string[];
  /** The same buckets arranged for `matchRoute`: one map probe per request, candidates by reference. */
  lookup: Lookup;
}

/**
 * A candidate with what verifying it needs, so that a lookup does not go id → candidate → route → match. At 10,000
 * routes every object a lookup reaches is likely a cache miss, so the entry also carries its match's path condition
 * (the `CompiledPath` fields, meaningful when `hasPath`): a match with only a path condition — most of them — is
 * verified from the entry alone.
 */
export interface Entry extends CompiledPath {
  /** Position in `candidates`: the precedence order. */
  id: number;
  compiled: CompiledRoute;
  route: RouteModel;
  /** Null for a route without matches. */
  match: CompiledMatch | null;
  matchIndex: number;
  hasPath: boolean;
  /** The match has a path condition and no other (no method, authority, header or query condition). */
  pathOnly: boolean;
  /**
   * A necessary condition on one header, checked before the match itself: the header is present and its value
   * equals `checkLiteral` (`checkExact`) or starts with it — from the match's first header condition that is not
   * inverted (an exact value, a prefix, or the literal start of a regex). Most candidates a request meets fail
   * here, without the match, its header list or its regex being read. Null when the match has no such condition.
   */
  checkHeader: string | null;
  checkLiteral: string;
  checkExact: boolean;
}

/** Everything filed under one first path segment: exact paths that start with it and its prefix conditions. */
export interface Bucket {
  /**
   * Its prefix conditions and, unless `exactMap` holds them, its exact paths, merged in precedence order: an exact
   * path is checked by verifying its entry, so a lookup reaches one list (few exact paths under one segment).
   */
  entries: Entry[];
  /** The exact paths under this segment (lower-cased), when there are many. */
  exactMap: Map<string, Entry[]> | null;
}

export interface Lookup {
  bySegment: Map<string, Bucket>;
  /** Exact paths without a first segment (not starting with `/`). */
  exactOther: Map<string, Entry[]>;
  fallback: Entry[];
}

/** Beyond this many exact paths under one segment, a bucket looks them up in a map. */
const LINEAR_EXACT = 8;

export function compileRouteTable(service: ServiceModel): CompiledRouteTable {
  const table: CompiledRouteTable = {
    routes: [],
    candidates: [],
    exact: new Map(),
    segment: new Map(),
    fallback: [],
    problems: [],
    lookup: { bySegment: new Map(), exactOther: new Map(), fallback: [] },
  };
  service.routes.forEach((route, index) => {
    const matches = route.matches.map((m, j) => compileMatch(m, `${route.id} matches[${j}]`, table.problems));
    const rewritePath = route.rewrite?.path;
    let regexRewrite: CompiledRegexRewrite | null = null;
    if (rewritePath?.type === "RegexReplace") {
      regexRewrite = compileRegexRewrite(rewritePath.pattern ?? "", rewritePath.value);
      if (regexRewrite === null) table.problems.push(`${route.id} rewrite: invalid regex ${rewritePath.pattern ?? ""}`);
    }
    table.routes.push({ route, index, matches, regexRewrite });
    if (matches.length === 0) {
      addCandidate(table, { route: index, match: -1 }, null);
      return;
    }
    matches.forEach((m, j) => addCandidate(table, { route: index, match: j }, m.path));
  });
  buildLookup(table);
  return table;
}

function buildLookup(table: CompiledRouteTable): void {
  const entries = table.candidates.map((c, id): Entry => {
    const compiled = table.routes[c.route]!;
    const match = c.match === -1 ? null : compiled.matches[c.match]!;
    const path = match?.path ?? null;
    const others =
      match !== null &&
      (match.method !== null || match.authority !== null || match.headers.length > 0 || match.query.length > 0);
    const check = match?.headers.find((h) => !h.invert) ?? null;
    return {
      id,
      compiled,
      route: compiled.route,
      match,
      matchIndex: c.match,
      hasPath: path !== null,
      pathOnly: path !== null && !others,
      type: path?.type ?? "Exact",
      value: path?.value ?? "",
      ignoreCase: path?.ignoreCase ?? false,
      regex: path?.regex ?? null,
      checkHeader: check?.name ?? null,
      checkLiteral:
        check === null || check.type === "Present"
          ? ""
          : check.type === "RegularExpression"
            ? regexLiteralPrefix(check.value)
            : check.value,
      checkExact: check?.type === "Exact",
    };
  });
  const of = (ids: number[]) => ids.map((id) => entries[id]!);
  const { bySegment, exactOther } = table.lookup;
  const exactBySegment = new Map<string, Map<string, Entry[]>>();
  for (const [path, ids] of table.exact) {
    const segment = firstSegment(path);
    if (segment === null) exactOther.set(path, of(ids));
    else {
      let paths = exactBySegment.get(segment);
      if (paths === undefined) exactBySegment.set(segment, (paths = new Map()));
      paths.set(path, of(ids));
    }
  }
  for (const [segment, ids] of table.segment) bySegment.set(segment, { entries: of(ids), exactMap: null });
  for (const [segment, paths] of exactBySegment) {
    const bucket = bySegment.get(segment);
    const prefix = bucket?.entries ?? [];
    if (paths.size > LINEAR_EXACT) bySegment.set(segment, { entries: prefix, exactMap: paths });
    else {
      // Each list is in precedence order; merged, they are sorted again (unless there is only one).
      const lists = [prefix, ...paths.values()].filter((list) => list.length > 0);
      const entries = lists.length === 1 ? lists[0]! : lists.flat().sort((x, y) => x.id - y.id);
      bySegment.set(segment, { entries, exactMap: null });
    }
  }
  table.lookup.fallback = of(table.fallback);
}

function compileMatch(m: RouteMatchModel, where: string, problems: string[]): CompiledMatch {
  const compiled: CompiledMatch = {
    path: m.path ? compilePath(m.path) : null,
    headers: m.headers.map((h) => compileKeyValue(h, true)),
    query: m.queryParams.map((q) => compileKeyValue(q, false)),
    method: m.method ?? null,
    authority: m.authority ? compileHostMatch(m.authority) : null,
  };
  const broken = [
    compiled.path?.type === "RegularExpression" && compiled.path.regex === null ? `path ${m.path?.value}` : null,
    ...compiled.headers.filter(isBrokenRegex).map((h) => `header ${h.name}`),
    ...compiled.query.filter(isBrokenRegex).map((q) => `query ${q.name}`),
    compiled.authority?.type === "RegularExpression" && compiled.authority.regex === null ? "authority" : null,
  ].filter((x): x is string => x !== null);
  for (const b of broken) problems.push(`${where}: invalid regex in ${b}`);
  return compiled;
}

function isBrokenRegex(kv: CompiledKeyValue): boolean {
  return kv.type === "RegularExpression" && kv.regex === null;
}

function addCandidate(table: CompiledRouteTable, candidate: Candidate, path: CompiledPath | null): void {
  const id = table.candidates.push(candidate) - 1;
  const key = path ? indexKey(path) : null;
  if (key === null) table.fallback.push(id);
  else push(key.exact ? table.exact : table.segment, key.value, id);
}

/** Where a path condition can be found by lookup; null when it has to be tried for every request. */
function indexKey(p: CompiledPath): { exact: boolean; value: string } | null {
  if (p.type === "Exact") return { exact: true, value: p.value.toLowerCase() };
  if (p.type === "RegularExpression") {
    const first = regexFirstSegment(p.value);
    return first === null ? null : { exact: false, value: first };
  }
  if (!p.value.startsWith("/")) return null;
  const end = p.value.indexOf("/", 1);
  // A segment-wise prefix fixes its first segment (`/v2` → `v2`); a plain string prefix only does when
  // that segment is closed by a slash (`/v2/`), since `/v2` also matches `/v2example`.
  if (end === -1 && p.type === "Prefix") return null;
  const first = (end === -1 ? p.value.slice(1) : p.value.slice(1, end)).toLowerCase();
  return first === "" ? null : { exact: false, value: first };
}

/**
 * The first path segment every match of a (full-match) path regex must have, lower-cased, or null when it is not
 * fixed. Only a plain literal qualifies: `/svc1/items/[0-9]+` → `svc1`. No `|` anywhere (an alternative could start
 * elsewhere), only characters that are literal in a regex, and the closing `/` not made optional (`/a/?`, `/a/*`,
 * `/a/{0,1}` would also match `/a…`). Without this, every regex route is verified on every request: a table of
 * 10,000 routes with a third of them regexes cost ~0.5 ms per lookup (docs/benchmarks.md).
 */
export function regexFirstSegment(source: string): string | null {
  if (source.includes("|")) return null;
  const m = /^\/([A-Za-z0-9_~-]+)\/(.?)/.exec(source);
  if (m === null || m[2] === "?" || m[2] === "*" || m[2] === "{") return null;
  return m[1]!.toLowerCase();
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

/** The first path segment of a request path, lower-cased (`/v2/x` → `v2`), or null for a non-origin-form path. */
export function firstSegment(lowerPath: string): string | null {
  if (!lowerPath.startsWith("/")) return null;
  const end = lowerPath.indexOf("/", 1);
  return end === -1 ? lowerPath.slice(1) : lowerPath.slice(1, end);
}
