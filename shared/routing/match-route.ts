// Finds the first route of a compiled table that matches a request (first in list order wins).
import type { RouteModel } from "../model/snapshot";
import { matchKeyValue, matchPath, matchString } from "./matchers";
import {
  firstSegment,
  type CompiledMatch,
  type CompiledRoute,
  type CompiledRouteTable,
  type Entry,
} from "./route-table";

/** What matching needs to know about a request; no runtime types, so it is testable with plain data. */
export interface RequestFacts {
  method: string;
  /** The raw URL pathname (`/v2/x`), not decoded. */
  path: string;
  query: { get(name: string): string | null };
  /** Header lookup by lower-case name; several values joined by `, ` (as `Headers.get` does). */
  headers: (name: string) => string | null;
  /** Host, with or without port. */
  authority: string;
}

/** The part of the request path a prefix condition consumed, for `ReplacePrefixMatch`. */
export interface PrefixMatched {
  /** Request path characters matched (original case). PathPrefix values carry no trailing slash. */
  value: string;
  /** PathPrefix (segment-wise, Gateway API) rather than Prefix (plain string, Istio). */
  segmentWise: boolean;
}

export interface RouteMatch {
  route: RouteModel;
  compiled: CompiledRoute;
  /** Index of the matching entry of `route.matches`; -1 for a route without matches. */
  matchIndex: number;
  prefixMatched: PrefixMatched | null;
}

const NONE: readonly Entry[] = [];

/** Optional instrumentation: how many (route, match) candidates a lookup verified (tests, benchmarks). */
export interface MatchStats {
  examined: number;
}

export function matchRoute(table: CompiledRouteTable, req: RequestFacts, stats?: MatchStats): RouteMatch | null {
  if (table.candidates.length === 0) return null;
  const lowerPath = req.path.toLowerCase();
  const segment = firstSegment(lowerPath);
  const { lookup } = table;
  // One map probe: the segment's bucket holds the exact paths under it as well as its prefix conditions.
  let a = NONE;
  let b = NONE;
  if (segment === null) a = lookup.exactOther.get(lowerPath) ?? NONE;
  else {
    const bucket = lookup.bySegment.get(segment);
    if (bucket !== undefined) {
      b = bucket.entries;
      if (bucket.exactMap !== null) a = bucket.exactMap.get(lowerPath) ?? NONE;
    }
  }
  const c = lookup.fallback;
  let host: string | null = null;
  // Merge three lists sorted by id; the first entry that verifies is the first matching (route, match) pair.
  for (let i = 0, j = 0, k = 0; i < a.length || j < b.length || k < c.length;) {
    const x = i < a.length ? a[i]!.id : Infinity;
    const y = j < b.length ? b[j]!.id : Infinity;
    const z = k < c.length ? c[k]!.id : Infinity;
    let entry: Entry;
    if (x <= y && x <= z) entry = a[i++]!;
    else if (y <= z) entry = b[j++]!;
    else entry = c[k++]!;
    if (stats !== undefined) stats.examined++;
    const m = entry.match;
    if (m === null) return { route: entry.route, compiled: entry.compiled, matchIndex: -1, prefixMatched: null };
    // The path and the header pre-check from the entry alone; the match's other conditions only if they pass.
    const consumed = entry.hasPath ? matchPath(entry, req.path, lowerPath) : 0;
    if (consumed === -1) continue;
    if (!entry.pathOnly) {
      if (entry.checkHeader !== null) {
        const value = req.headers(entry.checkHeader);
        if (value === null) continue;
        if (entry.checkExact ? value !== entry.checkLiteral : !value.startsWith(entry.checkLiteral)) continue;
      }
      if (m.authority !== null && host === null) host = hostWithoutPort(req.authority);
      if (!verifyOthers(m, req, host)) continue;
    }
    const prefixMatched =
      entry.hasPath && (entry.type === "PathPrefix" || entry.type === "Prefix")
        ? { value: req.path.slice(0, consumed), segmentWise: entry.type === "PathPrefix" }
        : null;
    return { route: entry.route, compiled: entry.compiled, matchIndex: entry.matchIndex, prefixMatched };
  }
  return null;
}

/** Whether the match's conditions other than the path hold. */
function verifyOthers(m: CompiledMatch, req: RequestFacts, host: string | null): boolean {
  if (m.method !== null && m.method !== req.method) return false;
  if (m.authority !== null && !matchString(m.authority, host ?? "")) return false;
  for (const h of m.headers) if (!matchKeyValue(h, req.headers(h.name))) return false;
  for (const q of m.query) if (!matchKeyValue(q, req.query.get(q.name))) return false;
  return true;
}

/** `Reviews.Localhost:8787` → `reviews.localhost`; `[::1]:80` → `[::1]`. */
export function hostWithoutPort(authority: string): string {
  const lower = authority.toLowerCase();
  if (lower.startsWith("[")) {
    const end = lower.indexOf("]");
    return end === -1 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(":");
  return colon === -1 ? lower : lower.slice(0, colon);
}
