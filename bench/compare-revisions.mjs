// `npx node bench/compare-revisions.mjs <git-rev> [rounds] [seconds]`: the proxy as of another git revision (built
// from a temporary worktree, with its own control plane) and the proxy of the working tree, loaded in alternation
// with the floor, round after round, each workerd under test pinned to the same core. On a shared machine whose
// speed drifts, this is the fair before/after of a change: both versions see the same drift. Loads target
// 127.0.0.1 only and stop by themselves.
import { execFileSync } from "node:child_process";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_PATH } from "./lib/config.mjs";
import { loadRun, round } from "./lib/load.mjs";
import { revisionWorktree } from "./lib/worktree.mjs";
import { applyRealistic, VARIANTS } from "./lib/realistic.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import * as current from "./lib/workerd.mjs";

const args = process.argv.slice(2);
// --concurrent: the three are loaded at the same time (each with its own connections) instead of in turn, so that
// a slowdown of the shared core hits all three in the same instant; their CPU per request is then compared.
const concurrent = args.includes("--concurrent");
// --raw: the floor and both proxies in workerd alone, without Miniflare's entry and outbound Workers
// (bench/lib/raw-workerd.mjs); the client sends the `cf-connecting-ip` Cloudflare's edge would add.
const raw = args.includes("--raw");
// --variants=A,B: the configuration variant (bench/lib/realistic.mjs VARIANTS) of the old and the new side; with
// the same revision on both sides, what one part of the configuration costs (e.g. `HEAD 12 3 --variants=full,no-sink`).
const variantsArg = args.find((a) => a.startsWith("--variants="));
const [oldVariant, newVariant] = variantsArg ? variantsArg.slice("--variants=".length).split(",") : ["full", "full"];
for (const v of [oldVariant, newVariant])
  if (!(v in VARIANTS)) throw new Error(`variant ${v}: one of ${Object.keys(VARIANTS)}`);
const [rev, roundsArg, secondsArg] = args.filter((a) => !a.startsWith("--"));
if (!rev)
  throw new Error("usage: compare-revisions.mjs <git-rev> [rounds] [seconds] [--concurrent] [--raw] [--variants=A,B]");
const rounds = Number(roundsArg ?? 5);
const seconds = Number(secondsArg ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { sha, dir, remove } = revisionWorktree(rev);
const before = await import(pathToFileURL(join(dir, "bench/lib/workerd.mjs")).href);

const edge = raw ? { "cf-connecting-ip": "127.0.0.1" } : {};

/** A control plane and proxy of one version (`root` its checkout), configured with the realistic configuration. */
async function startMesh(version, root, upstream, variant) {
  const control = await version.startControl();
  const proxy = raw ? await current.startProxyRaw(control.port, { root }) : await version.startProxy(control.port);
  const headers = await applyRealistic({ control, proxy, upstream, variant: VARIANTS[variant] });
  return { control, proxy, headers: { ...headers, ...edge } };
}

const upstream = await startUpstream();
const started = [];
try {
  const floor = raw ? await current.startFloorRaw(upstream.url) : await current.startFloor(upstream.url);
  started.push(floor);
  const old = await startMesh(before, dir, upstream, oldVariant);
  started.push(old.proxy, old.control);
  const now = await startMesh(current, undefined, upstream, newVariant);
  started.push(now.proxy, now.control);

  const pin = (cpus, pid) => execFileSync("taskset", ["-a", "-cp", cpus, String(pid)], { stdio: "ignore" });
  const last = String(os.cpus().length - 1);
  for (const pid of [floor.pid, old.proxy.pid, now.proxy.pid]) pin(last, pid);
  for (const pid of [upstream.pid, old.control.pid, now.control.pid, process.pid]) pin("0", pid);

  const targets = {
    floor: { port: floor.port, pid: floor.pid, headers: { ...now.headers, "x-mesh-identity": "x".repeat(600) } },
    [sha]: { port: old.proxy.port, pid: old.proxy.pid, headers: old.headers },
    "working tree": { port: now.proxy.port, pid: now.proxy.pid, headers: now.headers },
  };
  const runs = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  const load = (name, t) =>
    loadRun({
      url: `http://127.0.0.1:${t.port}${BENCH_PATH}`,
      headers: t.headers,
      connections: concurrent ? 8 : 16,
      durationS: seconds,
      warmupS: 1,
      pids: [t.pid],
    }).then((run) => {
      if (run.non2xx > 0) throw new Error(`${name}: ${run.non2xx} non-2xx answers`);
      return run;
    });
  for (let i = 0; i < rounds; i++) {
    const round_ = concurrent
      ? await Promise.all(Object.entries(targets).map(async ([name, t]) => [name, await load(name, t)]))
      : [];
    if (!concurrent) for (const [name, t] of Object.entries(targets)) round_.push([name, await load(name, t)]);
    for (const [name, run] of round_) {
      runs[name].push(run);
      console.error(`round ${i + 1} ${name}: ${run.rps} req/s, ${run.cpuMsPerRequest[0]} ms CPU/req`);
    }
  }
  const cpu = (name, i) => runs[name][i].cpuMsPerRequest[0];
  const paired = (name) => round(median(runs[name].map((_, i) => cpu(name, i) - cpu("floor", i))), 4);
  const ratio = (name) => round(median(runs[name].map((r, i) => r.rps / runs.floor[i].rps)), 3);
  const p99Ratio = (name) => round(median(runs[name].map((r, i) => r.latencyMs.p99 / runs.floor[i].latencyMs.p99)), 2);
  console.log(
    JSON.stringify(
      {
        rounds,
        seconds,
        mode: concurrent ? "concurrent" : "in turn",
        runtime: raw ? "workerd alone" : "Miniflare",
        variants: { [sha]: oldVariant, "working tree": newVariant },
        proxyShareMsPerRequest: { [sha]: paired(sha), "working tree": paired("working tree") },
        rpsOverFloor: { [sha]: ratio(sha), "working tree": ratio("working tree") },
        p99OverFloor: { [sha]: p99Ratio(sha), "working tree": p99Ratio("working tree") },
        // Each round: [req/s, workerd CPU ms per request, p99 ms].
        perRound: Object.fromEntries(
          Object.entries(runs).map(([k, v]) => [k, v.map((r) => [r.rps, r.cpuMsPerRequest[0], r.latencyMs.p99])]),
        ),
      },
      null,
      2,
    ),
  );
} finally {
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
  await upstream.stop();
  remove();
}
