// Compiled routing at scale: with 10,000 routes, a lookup verifies a handful of candidates, not thousands.
import { describe, expect, it } from "vitest";
import { ServiceModel } from "../model/snapshot";
import { matchRoute, type MatchStats, type RequestFacts } from "./match-route";
import { compileRouteTable } from "./route-table";

const N = 10_000;

function request(path: string, headers: Record<string, string> = {}): RequestFacts {
  const [pathname, search = ""] = path.split("?") as [string, string?];
  return {
    method: "GET",
    path: pathname,
    query: new URLSearchParams(search),
    headers: (n) => headers[n] ?? null,
    authority: "svc.localhost",
  };
}

/** A realistic large table: per-tenant exact paths and prefixes, a few regexes, and a catch-all last. */
const table = compileRouteTable(
  ServiceModel.parse({
    name: "big",
    namespace: "default",
    routes: [
      ...Array.from({ length: N }, (_, i) => ({
        id: `r${i}`,
        matches:
          i % 3 === 0
            ? [{ path: { type: "Exact", value: `/tenant${i}/status` } }]
            : i % 3 === 1
              ? [{ path: { type: "PathPrefix", value: `/tenant${i}/api` } }]
              : [
                  {
                    path: { type: "PathPrefix", value: `/tenant${i}` },
                    headers: [{ name: "x-canary", type: "Exact", value: "1" }],
                  },
                ],
      })),
      { id: "regex-1", matches: [{ path: { type: "RegularExpression", value: "/files/[0-9]+" } }] },
      { id: "regex-2", matches: [{ path: { type: "RegularExpression", value: "/img/.*\\.png" } }] },
      { id: "catch-all", matches: [{ path: { type: "PathPrefix", value: "/" } }] },
    ],
  }),
);

describe(`route table with ${N} routes`, () => {
  it.each([
    ["an exact path", "/tenant9000/status", {}, "r9000"],
    ["a prefix", "/tenant9001/api/v1/items", {}, "r9001"],
    ["a prefix with a header", "/tenant9002/x", { "x-canary": "1" }, "r9002"],
    ["a prefix whose header does not match falls to the catch-all", "/tenant9002/x", {}, "catch-all"],
    ["a regex", "/files/42", {}, "regex-1"],
    ["an unknown path", "/nowhere/at/all", {}, "catch-all"],
    ["one of the last tenants", `/tenant${N - 3}/api`, {}, `r${N - 3}`],
  ])("%s: verifies at most 5 candidates", (_name, path, headers, expected) => {
    const stats: MatchStats = { examined: 0 };
    const match = matchRoute(table, request(path, headers), stats);
    expect(match?.route.id).toBe(expected);
    // Exact-path bucket + first-segment bucket (regexes with a literal first segment too) + the catch-all.
    expect(stats.examined).toBeLessThanOrEqual(5);
  });

  it("files every tenant route and literal-segment regex under an index key; only the catch-all is scanned", () => {
    expect(table.fallback.length).toBe(1);
    expect(table.exact.size + table.segment.size).toBe(N + 2);
  });

  it("a linear scan would have examined thousands", () => {
    const stats: MatchStats = { examined: 0 };
    expect(matchRoute(table, request(`/tenant${N - 3}/api`), stats)?.route.id).toBe(`r${N - 3}`);
    const linear = table.candidates.findIndex((c) => c.route === N - 3) + 1;
    expect(linear).toBe(N - 2);
    expect(stats.examined * 1000).toBeLessThan(linear);
  });
});
