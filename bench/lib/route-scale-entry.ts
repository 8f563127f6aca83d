// Pure routing cost at scale: matchRoute over tables of 10 / 1,000 / 10,000 routes, in a tight loop under Node.
// Bundled by bench/lib/route-scale.mjs with esbuild (shared/ uses extensionless imports).
import { ServiceModel } from "../../shared/model/snapshot";
import { compileRouteTable } from "../../shared/routing/route-table";
import { matchRoute, type RequestFacts } from "../../shared/routing/match-route";

export type Mix = "indexed" | "regex";

/**
 * `indexed`: exact paths, prefixes and prefixes with a header match, plus two regexes and a catch-all.
 * `regex`: a third of the routes are path regexes (each with a literal first segment, as real ones mostly are).
 */
/**
 * Route and request names have the same length at every table size (`svc00007`, `svc09999`): the string work of a
 * lookup (lower-casing, hashing the segment, comparing, a regex) grows with the path, and longer paths are not what
 * a bigger table costs.
 */
function id(i: number): string {
  return String(i).padStart(5, "0");
}

function routesFor(n: number, mix: Mix): unknown[] {
  const routes: unknown[] = [];
  for (let i = 0; i < n - 1; i++) {
    const kind = i % 3;
    const match =
      kind === 0
        ? { path: { type: "Exact", value: `/svc${id(i)}/items` } }
        : kind === 1
          ? {
              path: { type: "PathPrefix", value: `/svc${id(i)}` },
              headers: [{ name: "x-tenant", type: "Exact", value: `t${id(i)}` }],
            }
          : mix === "regex"
            ? { path: { type: "RegularExpression", value: `/svc${id(i)}/items/[0-9]+` } }
            : { path: { type: "PathPrefix", value: `/svc${id(i)}/api` } };
    routes.push({ id: `r${i}`, matches: [match] });
  }
  if (mix === "indexed") {
    routes.push({ id: "regex-files", matches: [{ path: { type: "RegularExpression", value: "/files/[0-9]+" } }] });
  }
  routes.push({ id: "catch-all", matches: [{ path: { type: "PathPrefix", value: "/" } }] });
  return routes;
}

/** A request for route `i` (the kind of path that route matches); `miss` requests fall through to the catch-all. */
function requestFor(i: number, mix: Mix, miss: boolean): RequestFacts {
  const kind = i % 3;
  const headers: Record<string, string> = kind === 1 ? { "x-tenant": `t${id(i)}` } : {};
  const path = miss
    ? `/nowhere/${id(i)}`
    : kind === 0
      ? `/svc${id(i)}/items`
      : kind === 1
        ? `/svc${id(i)}/orders/7`
        : mix === "regex"
          ? `/svc${id(i)}/items/${id(i * 7)}`
          : `/svc${id(i)}/api/v1`;
  return {
    method: "GET",
    path,
    query: new URLSearchParams(""),
    headers: (name) => headers[name] ?? null,
    authority: "bench.localhost",
  };
}

/** Deterministic pseudo-random sequence (no Math.random: the same requests every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `uniform`: every route equally likely (worst case for caches); `zipf`: rank k with probability ∝ 1/k, as real traffic. */
export type Distribution = "uniform" | "zipf";

function sampler(n: number, dist: Distribution, rand: () => number): () => number {
  if (dist === "uniform") return () => Math.floor(rand() * n);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1);
  // Ranks are spread over the table by a fixed permutation, so the hot routes are not all at its head.
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return perm[lo]!;
  };
}

/** Compiles the table and the request sample once; `time(ms)` then returns ns per lookup over about `ms`. */
export function prepare(n: number, mix: Mix, distribution: Distribution) {
  const model = ServiceModel.parse({ name: "bench", namespace: "default", routes: routesFor(n, mix) });
  const t0 = performance.now();
  const table = compileRouteTable(model);
  const compileMs = performance.now() - t0;
  const rand = lcg(n * 31 + (mix === "regex" ? 7 : 3));
  const pick = sampler(n - 1, distribution, rand);
  // One request in ten is a miss (falls through to the catch-all).
  const requests = Array.from({ length: 4096 }, () => requestFor(pick(), mix, rand() < 0.1));
  let sink = 0;
  const run = (count: number) => {
    for (let k = 0; k < count; k++) {
      const m = matchRoute(table, requests[k & 4095]!);
      if (m !== null) sink += m.matchIndex;
    }
  };
  run(20_000); // warm-up: let the JIT settle
  return {
    routes: n,
    mix,
    distribution,
    compileMs: Math.round(compileMs * 10) / 10,
    time(budgetMs: number): { nsPerLookup: number; lookups: number } {
      let lookups = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < budgetMs) {
        run(1024);
        lookups += 1024;
        elapsed = performance.now() - start;
      }
      if (sink === -1) console.log(sink);
      return { nsPerLookup: (elapsed * 1e6) / lookups, lookups };
    },
  };
}

/** Median of `reps` interleaved timings per configuration, so a busy machine skews every size alike. */
export function measureAll(sizes: number[], budgetMs: number, reps: number) {
  const cases = [];
  for (const mix of ["indexed", "regex"] as const)
    for (const dist of ["zipf", "uniform"] as const) for (const n of sizes) cases.push(prepare(n, mix, dist));
  const samples = cases.map(() => [] as number[]);
  const lookups = cases.map(() => 0);
  for (let r = 0; r < reps; r++) {
    cases.forEach((c, i) => {
      const t = c.time(budgetMs / reps);
      samples[i]!.push(t.nsPerLookup);
      lookups[i]! += t.lookups;
    });
  }
  return cases.map((c, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return {
      routes: c.routes,
      mix: c.mix,
      distribution: c.distribution,
      nsPerLookup: Math.round(median * 10) / 10,
      lookups: lookups[i],
      compileMs: c.compileMs,
    };
  });
}
