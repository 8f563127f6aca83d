// The upstream chaos matrix as data: each policy's configuration and traffic, and for each fault × policy the
// outcome a user of Istio would predict, written as a check over what was observed.
import { BURST, SLOW_CHUNKS, type Fault } from "./faulty-upstream";

export type Policy = "retries" | "timeout" | "breaker" | "outlier";
export const POLICIES: readonly Policy[] = ["retries", "timeout", "breaker", "outlier"];

export interface Observed {
  /** One entry per request, in the order sent (concurrent requests: in the order answered). */
  answers: { status: number; code?: string; ms: number; complete: boolean }[];
  /** Requests that reached the faulty endpoint. */
  hits: number;
  /** Tries the proxy abandoned while the faulty endpoint was still answering. */
  aborted: number;
  /** Requests that reached the healthy endpoint (outlier detection only). */
  healthyHits: number;
}

export interface PolicySetup {
  /** Resources after the Service (named `name`): the policy under test. */
  yaml(name: string): string;
  /** Requests to send and how: one after another, or all at once. */
  requests: number;
  concurrent: boolean;
  /** A second, healthy endpoint beside the faulty one. */
  withHealthy: boolean;
}

const vs = (name: string, http: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: [${name}]
  http:
    - ${http}
      route: [{destination: {host: ${name}}}]
`;

export const SETUPS: Record<Policy, PolicySetup> = {
  retries: {
    yaml: (n) =>
      vs(n, `timeout: 8s\n      retries: {attempts: 2, perTryTimeout: 1s, retryOn: "5xx,reset,connect-failure"}`),
    requests: 2,
    concurrent: false,
    withHealthy: false,
  },
  timeout: {
    yaml: (n) => vs(n, `timeout: 600ms\n      retries: {attempts: 0}`),
    requests: 4,
    concurrent: false,
    withHealthy: false,
  },
  breaker: {
    yaml: (n) =>
      vs(n, `timeout: 1500ms\n      retries: {attempts: 0}`) +
      `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${n}}
spec:
  host: ${n}
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1}
`,
    requests: 4,
    concurrent: true,
    withHealthy: false,
  },
  outlier: {
    yaml: (n) =>
      vs(n, `timeout: 600ms\n      retries: {attempts: 0}`) +
      `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${n}}
spec:
  host: ${n}
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
    outlierDetection: {consecutive5xxErrors: 2, consecutiveGatewayErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100}
`,
    requests: 10,
    concurrent: false,
    withHealthy: true,
  },
};

export interface Expectation {
  /** What a user would predict, for the table. */
  predicted: string;
  /** Undefined when the observation matches; else what differs. */
  check(o: Observed): string | undefined;
}

const statuses = (o: Observed) => o.answers.map((a) => (a.code ? `${a.status} ${a.code}` : String(a.status)));
const all = (o: Observed, want: string) =>
  statuses(o).every((s) => s === want) ? undefined : `expected every answer ${want}`;
const ok200 = (o: Observed) =>
  o.answers.every((a) => a.status === 200 && a.complete) ? undefined : "expected every answer 200 with its full body";
const both = (...problems: (string | undefined)[]) => problems.find((p) => p !== undefined);
const hits = (o: Observed, n: number) => (o.hits === n ? undefined : `expected ${n} tries at the faulty endpoint`);
/** Outlier detection: at most `n` failures, all at the start, then only the healthy endpoint. */
const ejectedAfter = (o: Observed, n: number) => {
  const failed = o.answers.map((a) => a.status !== 200);
  const firstOk = failed.indexOf(false);
  const failures = failed.filter(Boolean).length;
  if (failures > n) return `expected at most ${n} failures before ejection`;
  if (firstOk >= 0 && failed.slice(firstOk + n).some(Boolean)) return "expected no failure after ejection";
  return o.hits <= n ? undefined : `expected the faulty endpoint to see at most ${n} requests`;
};
const breakerSplit = (o: Observed, admitted: string) => {
  const s = statuses(o);
  const refused = s.filter((x) => x === "503 circuit_open").length;
  if (s.some((x) => x !== admitted && x !== "503 circuit_open")) return `expected only ${admitted} or 503 circuit_open`;
  return refused >= 1 && refused <= 3 ? undefined : "expected 1–3 of 4 concurrent requests refused";
};

export const EXPECTED: Record<Fault, Record<Policy, Expectation>> = {
  refuse: {
    retries: { predicted: "502 upstream_unavailable after 3 tries", check: (o) => all(o, "502 upstream_unavailable") },
    timeout: {
      predicted: "502 upstream_unavailable at once",
      check: (o) => both(all(o, "502 upstream_unavailable"), fast(o, 600)),
    },
    breaker: {
      predicted: "502 upstream_unavailable; the breaker limits concurrency, not errors",
      check: (o) =>
        statuses(o).every((s) => s === "502 upstream_unavailable" || s === "503 circuit_open")
          ? undefined
          : "expected 502 upstream_unavailable (or 503 circuit_open)",
    },
    outlier: {
      predicted: "≤ 2 failures, then ejected: all 200 from the healthy endpoint",
      check: (o) => ejectedAfter(o, 2),
    },
  },
  reset: {
    retries: {
      predicted: "502 upstream_unavailable after 3 tries each",
      check: (o) => both(all(o, "502 upstream_unavailable"), hits(o, 6)),
    },
    timeout: {
      predicted: "502 upstream_unavailable at once",
      check: (o) => both(all(o, "502 upstream_unavailable"), fast(o, 600)),
    },
    breaker: {
      predicted: "502 upstream_unavailable (or 503 circuit_open while one is in flight)",
      check: (o) =>
        statuses(o).every((s) => s === "502 upstream_unavailable" || s === "503 circuit_open")
          ? undefined
          : "expected 502 or 503 circuit_open",
    },
    outlier: { predicted: "≤ 2 failures, then ejected: all 200", check: (o) => ejectedAfter(o, 2) },
  },
  hang: {
    retries: {
      predicted: "504 upstream_timeout after 3 tries of 1 s (per-try timeout), each try aborted",
      check: (o) =>
        both(all(o, "504 upstream_timeout"), hits(o, 6), o.aborted === 6 ? undefined : "expected 6 aborted tries"),
    },
    timeout: {
      predicted: "504 upstream_timeout at 600 ms, the try aborted",
      check: (o) =>
        both(
          all(o, "504 upstream_timeout"),
          o.answers.every((a) => a.ms >= 550 && a.ms < 3000) ? undefined : "expected ~600 ms",
          o.aborted === 4 ? undefined : "expected 4 aborted tries",
        ),
    },
    breaker: {
      predicted: "2 admitted time out (504), the rest 503 circuit_open",
      check: (o) => breakerSplit(o, "504 upstream_timeout"),
    },
    outlier: { predicted: "≤ 2 timeouts (504), then ejected: all 200", check: (o) => ejectedAfter(o, 2) },
  },
  "slow-body": {
    retries: { predicted: `200 with all ${SLOW_CHUNKS} chunks, no retry`, check: (o) => both(ok200(o), hits(o, 2)) },
    timeout: { predicted: "200 with the full body (it ends within the timeout)", check: ok200 },
    breaker: { predicted: "2 admitted get 200, the rest 503 circuit_open", check: (o) => breakerSplit(o, "200") },
    outlier: {
      predicted: "all 200; slow is not an error, nothing ejected",
      check: (o) => both(ok200(o), o.hits >= 4 ? undefined : "expected the slow endpoint kept in rotation"),
    },
  },
  "5xx-burst": {
    retries: {
      predicted: `200; the first request retried past the burst (${BURST + 1} tries)`,
      check: (o) => both(ok200(o), hits(o, BURST + 2)),
    },
    timeout: {
      predicted: `the burst's ${BURST} × 503 passed through as the upstream's, then 200`,
      check: (o) =>
        statuses(o).join(",") === [...Array(BURST).fill("503"), ...Array(4 - BURST).fill("200")].join(",")
          ? undefined
          : "expected 503,503,200,200",
    },
    breaker: {
      predicted: "upstream 503/200 or 503 circuit_open",
      check: (o) =>
        statuses(o).every((s) => ["503", "200", "503 circuit_open"].includes(s)) ? undefined : "unexpected answer",
    },
    outlier: { predicted: "2 × 503, then ejected for 30 s: all 200", check: (o) => ejectedAfter(o, 2) },
  },
  flapping: {
    retries: { predicted: "200 every time (each failure retried once)", check: (o) => both(ok200(o), hits(o, 4)) },
    timeout: {
      predicted: "503/200 alternating, passed through",
      check: (o) => (statuses(o).join(",") === "503,200,503,200" ? undefined : "expected 503,200,503,200"),
    },
    breaker: {
      predicted: "upstream 503/200 or 503 circuit_open",
      check: (o) =>
        statuses(o).every((s) => ["503", "200", "503 circuit_open"].includes(s)) ? undefined : "unexpected answer",
    },
    outlier: {
      predicted: "never 2 errors in a row: not ejected, its 503s pass through",
      check: (o) =>
        o.hits >= 4 && o.answers.some((a) => a.status === 503) ? undefined : "expected it to stay in rotation",
    },
  },
};

function fast(o: Observed, ms: number): string | undefined {
  return o.answers.every((a) => a.ms < ms) ? undefined : `expected every answer within ${ms} ms`;
}
