// The route index: where conditions are filed, and that it always agrees with a linear first-match scan.
import { describe, expect, it } from "vitest";
import { ServiceModel } from "../model/snapshot";
import { matchKeyValue, matchPath, matchString } from "./matchers";
import { matchRoute, hostWithoutPort, type RequestFacts } from "./match-route";
import { compileRouteTable, type CompiledRouteTable } from "./route-table";

function compile(paths: { type: string; value: string; ignoreCase?: boolean }[]) {
  return compileRouteTable(
    ServiceModel.parse({
      name: "s",
      namespace: "default",
      routes: paths.map((p, i) => ({ id: `r${i}`, matches: [{ path: p }] })),
    }),
  );
}

describe("index buckets", () => {
  it.each([
    ["Exact", "/Reviews/0", "exact", "/reviews/0"],
    ["PathPrefix", "/v2/x", "segment", "v2"],
    ["PathPrefix", "/v2", "segment", "v2"],
    ["PathPrefix", "/", "fallback", null],
    ["Prefix", "/v2/", "segment", "v2"],
    ["Prefix", "/v2", "fallback", null],
    ["RegularExpression", "/v2/.*", "segment", "v2"],
    ["RegularExpression", "/V2/[0-9]+", "segment", "v2"],
    ["RegularExpression", "/v2", "fallback", null],
    ["RegularExpression", "/v2/?", "fallback", null],
    ["RegularExpression", "/v2/*x", "fallback", null],
    ["RegularExpression", "/v2/{0,1}x", "fallback", null],
    ["RegularExpression", "/v2/x|/v3/y", "fallback", null],
    ["RegularExpression", "/v.2/x", "fallback", null],
    ["RegularExpression", "/v2+/x", "fallback", null],
    ["RegularExpression", "/(v2|v3)/x", "fallback", null],
    ["RegularExpression", ".*/v2/x", "fallback", null],
  ])("%s %s goes to %s", (type, value, bucket, key) => {
    const t = compile([{ type, value }]);
    if (bucket === "exact") expect(t.exact.get(key!)).toEqual([0]);
    if (bucket === "segment") expect(t.segment.get(key!)).toEqual([0]);
    if (bucket === "fallback") expect(t.fallback).toEqual([0]);
  });

  it("keeps per-request work independent of unrelated routes", () => {
    const t = compile(
      Array.from({ length: 5000 }, (_, i) => ({ type: i % 2 ? "Exact" : "PathPrefix", value: `/svc${i}/x` })),
    );
    expect(t.fallback).toEqual([]);
    expect(t.exact.get("/svc4999/x")).toEqual([4999]);
    expect(t.segment.get("svc4998")).toEqual([4998]);
  });
});

// A deterministic PRNG (mulberry32) so that a failure is reproducible.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The obvious O(routes) definition of "first match in list order", to check the index against: the route, which of
 * its matches, and the path prefix that match consumed (what `ReplacePrefixMatch` rewrites).
 */
function linearMatch(t: CompiledRouteTable, r: RequestFacts): string | null {
  const lowerPath = r.path.toLowerCase();
  for (const route of t.routes) {
    if (route.matches.length === 0) return describeMatch(route.route.id, -1, null);
    for (const [j, m] of route.matches.entries()) {
      if (m.method !== null && m.method !== r.method) continue;
      if (m.authority !== null && !matchString(m.authority, hostWithoutPort(r.authority))) continue;
      if (!m.headers.every((h) => matchKeyValue(h, r.headers(h.name)))) continue;
      const consumed = m.path === null ? 0 : matchPath(m.path, r.path, lowerPath);
      if (consumed === -1) continue;
      const prefix = m.path?.type === "PathPrefix" || m.path?.type === "Prefix" ? r.path.slice(0, consumed) : null;
      return describeMatch(route.route.id, j, prefix);
    }
  }
  return null;
}

function describeMatch(id: string, matchIndex: number, prefix: string | null): string {
  return `${id} matches[${matchIndex}] prefix ${prefix}`;
}

function indexedMatch(t: CompiledRouteTable, r: RequestFacts): string | null {
  const m = matchRoute(t, r);
  return m === null ? null : describeMatch(m.route.id, m.matchIndex, m.prefixMatched?.value ?? null);
}

/** Header conditions of every type, inverted ones, and regexes with and without a literal start. */
const HEADER_CONDITIONS = [
  { name: "x", type: "Exact", value: "1" },
  { name: "x", type: "Exact", value: "1", invert: true },
  { name: "x", type: "Prefix", value: "t1" },
  { name: "x", type: "RegularExpression", value: "t1-[a-z]+" },
  { name: "x", type: "RegularExpression", value: "t1?2?-b" },
  { name: "x", type: "RegularExpression", value: "[tT]1-.*" },
  { name: "x", type: "Present" },
  { name: "y", type: "RegularExpression", value: "a|t1" },
  { name: "y", type: "RegularExpression", value: "ab*", invert: true },
  { name: "y", type: "Prefix", value: "a" },
];

describe("index agrees with a linear scan", () => {
  const segments = ["a", "b", "ab", "A", ""];
  const types = ["Exact", "PathPrefix", "Prefix", "RegularExpression"];
  const pick = <T>(rand: () => number, xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const randomPath = (rand: () => number) =>
    "/" +
    Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, segments)).join("/") +
    (rand() < 0.2 ? "/" : "");

  const check = (tables: number, maxRoutes: number) => {
    const rand = rng(42 + maxRoutes);
    let mapped = 0;
    for (let n = 0; n < tables; n++) {
      const routes = Array.from({ length: 1 + Math.floor(rand() * maxRoutes) }, (_, i) => ({
        id: `r${i}`,
        matches:
          rand() < 0.1
            ? []
            : Array.from({ length: 1 + Math.floor(rand() * 2) }, () => {
                const type = pick(rand, types);
                const value =
                  type === "RegularExpression"
                    ? pick(rand, ["/a.*", "/[ab]+/b", "/.*/a/?", "/a/.*", "/ab/b/?", "/A/[ab]*", "/a/?b", "/b/a|/a/b"])
                    : randomPath(rand);
                return {
                  ...(rand() < 0.9 ? { path: { type, value, ignoreCase: rand() < 0.2 } } : {}),
                  ...(rand() < 0.2 ? { method: "POST" } : {}),
                  headers: Array.from({ length: rand() < 0.3 ? 1 + Math.floor(rand() * 2) : 0 }, () =>
                    pick(rand, HEADER_CONDITIONS),
                  ),
                };
              }),
      }));
      const t = compileRouteTable(ServiceModel.parse({ name: "s", namespace: "default", routes }));
      if ([...t.lookup.bySegment.values()].some((b) => b.exactMap !== null)) mapped++;
      for (let k = 0; k < 50; k++) {
        const headers: Record<string, string> = {};
        const x = pick(rand, ["1", "t1-blue", "t12-b", "t-b", "T1-x", null]);
        const y = pick(rand, ["a", "t1", "ab", null]);
        if (x !== null) headers.x = x;
        if (y !== null) headers.y = y;
        const r: RequestFacts = {
          method: rand() < 0.5 ? "GET" : "POST",
          path: randomPath(rand),
          query: new URLSearchParams(),
          headers: (name) => headers[name] ?? null,
          authority: "s.localhost",
        };
        expect(indexedMatch(t, r), JSON.stringify({ routes, r })).toBe(linearMatch(t, r));
      }
    }
    return mapped;
  };

  it("on 300 random tables × 50 random requests", () => {
    check(300, 12);
  });

  it("on 60 larger tables, where segments hold enough exact paths to be looked up in a map", () => {
    expect(check(60, 150)).toBeGreaterThan(10);
  });
});
