// Upstream chaos matrix: each upstream fault × each resilience policy, through the real proxy in workerd, against
// the outcome a user would predict (chaos-matrix.ts). `npm run test:chaos` writes the table to docs/reliability.md.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { CHAOS } from "./budget";
import { EXPECTED, POLICIES, SETUPS, type Observed, type Policy } from "./chaos-matrix";
import { eventually, proxiesServe } from "./control";
import { FAULTS, SLOW_CHUNKS, faultyUpstream, type Fault, type FaultyUpstream } from "./faulty-upstream";
import { meshError, send } from "./http";

/**
 * Cells whose prediction the mesh does not meet yet, with the reason. They still run (and are reported in the
 * table); a cell listed here that starts to pass fails the suite, so the list cannot go stale.
 */
const KNOWN_GAPS: Partial<Record<`${Fault}×${Policy}`, string>> = {};

interface Result {
  fault: Fault;
  policy: Policy;
  predicted: string;
  observed: string;
  verdict: "as predicted" | "differs" | "differs (known gap)";
}
const results: Result[] = [];

let mesh: TestMesh;
const upstreams: FaultyUpstream[] = [];

beforeAll(async () => {
  mesh = await startMesh();
});
afterAll(async () => {
  await mesh?.stop();
  await Promise.all(upstreams.map((u) => u.close()));
  if (CHAOS && results.length === FAULTS.length * POLICIES.length) await writeTable(results);
});

async function run(fault: Fault, policy: Policy): Promise<Observed> {
  const setup = SETUPS[policy];
  const faulty = await faultyUpstream(fault);
  upstreams.push(faulty);
  const healthy = setup.withHealthy ? await faultyUpstream("healthy") : undefined;
  if (healthy) upstreams.push(healthy);
  const name = `chaos-${fault}-${policy}`;
  const endpoints = [faulty, healthy].flatMap((u) => (u ? [`    - url: ${u.url}`] : [])).join("\n");
  const yaml = `apiVersion: flaremesh.dev/v1alpha1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  endpoints:\n${endpoints}\n${setup.yaml(name)}`;
  const applied = await mesh.api("POST", "/v1/apply", yaml);
  expect(applied.status, applied.body).toBe(200);
  const revision = (applied.json as { revision: number }).revision;
  await eventually(`the proxy to serve revision ${revision}`, async () => {
    await send(mesh.port, "settle.localhost", "/");
    return proxiesServe(mesh, revision);
  });
  const one = async () => {
    const a = await send(mesh.port, `${name}.localhost`, "/chaos", { timeoutMs: 15_000 });
    // The slow endpoint's body is SLOW_CHUNKS lines `chunk N`; anything else (the healthy endpoint's JSON) is whole.
    const complete = !a.body.startsWith("chunk") || a.body.split("\n").filter(Boolean).length === SLOW_CHUNKS;
    return { status: a.status, ms: a.ms, complete, ...(meshError(a) ? { code: meshError(a) } : {}) };
  };
  const answers: Observed["answers"] = [];
  if (setup.concurrent) answers.push(...(await Promise.all(Array.from({ length: setup.requests }, one))));
  else for (let i = 0; i < setup.requests; i++) answers.push(await one());
  // Aborts reach the upstream a moment after the proxy gives up.
  await new Promise((r) => setTimeout(r, 200));
  return { answers, hits: faulty.hits, aborted: faulty.aborted, healthyHits: healthy?.hits ?? 0 };
}

function describeObserved(o: Observed): string {
  const counts = new Map<string, number>();
  for (const a of o.answers) {
    const key = `${a.status}${a.code ? ` ${a.code}` : ""}${a.status === 200 && !a.complete ? " (truncated)" : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const statuses = [...counts].map(([k, n]) => `${n}× ${k}`).join(", ");
  const maxMs = Math.max(...o.answers.map((a) => a.ms));
  return `${statuses}; faulty endpoint saw ${o.hits}${o.aborted ? ` (${o.aborted} aborted)` : ""}; slowest ${Math.round(maxMs)} ms`;
}

describe.each(FAULTS.map((f) => [f] as const))("upstream fault: %s", (fault) => {
  it.each(POLICIES.map((p) => [p] as const))("with %s: the outcome a user would predict", async (policy) => {
    const expectation = EXPECTED[fault][policy];
    const observed = await run(fault, policy);
    const gap = KNOWN_GAPS[`${fault}×${policy}`];
    const problem = expectation.check(observed);
    results.push({
      fault,
      policy,
      predicted: expectation.predicted,
      observed: describeObserved(observed),
      verdict: problem === undefined ? "as predicted" : gap !== undefined ? "differs (known gap)" : "differs",
    });
    if (gap !== undefined) {
      expect(
        problem,
        `listed as a known gap (${gap}) but now behaves as predicted: remove it from KNOWN_GAPS`,
      ).toBeDefined();
      return;
    }
    expect(problem, `${describeObserved(observed)}\n${JSON.stringify(observed.answers)}`).toBeUndefined();
  });
});

const BEGIN = "<!-- chaos-matrix:begin (generated by `npm run test:chaos`) -->";
const END = "<!-- chaos-matrix:end -->";

async function writeTable(rows: Result[]): Promise<void> {
  const file = join(ROOT, "docs/reliability.md");
  const lines = [
    BEGIN,
    `_Last run: ${new Date().toISOString()}._`,
    "",
    "| upstream fault | policy | predicted | observed | verdict |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.fault} | ${r.policy} | ${r.predicted} | ${r.observed} | ${r.verdict} |`),
    END,
  ];
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + lines.join("\n") + text.slice(end + END.length)
      : `${text}\n${lines.join("\n")}\n`;
  // Formatted as `npm run format:check` expects, so a regenerated page needs no extra step.
  const prettier = await import("prettier");
  writeFileSync(file, await prettier.format(next, { ...(await prettier.resolveConfig(file)), filepath: file }));
}
