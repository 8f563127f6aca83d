// `npx node bench/hot-path.mjs [rounds] [seconds] [variant]`: the floor and the flaremesh proxy (realistic configuration,
// STRICT identity) loaded in alternation, `rounds` times each, so that machine noise hits both alike. Prints the
// median workerd CPU per request of each and their difference (the proxy's own work), for before/after
// comparisons of one optimisation. Loads target 127.0.0.1 only and stop by themselves.
import { execFileSync } from "node:child_process";
import { BENCH_PATH } from "./lib/config.mjs";
import { loadRun, round } from "./lib/load.mjs";
import { applyRealistic, VARIANTS } from "./lib/realistic.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import { startControl, startFloor, startProxy } from "./lib/workerd.mjs";

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 3);
// A name from VARIANTS: `full` (the benchmark's configuration), or less of it, to see what each part costs.
const variant = process.argv[4] ?? "full";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const upstream = await startUpstream();
const floor = await startFloor(upstream.url);
const control = await startControl();
const proxy = await startProxy(control.port);
try {
  if (!(variant in VARIANTS)) throw new Error(`variant: one of ${Object.keys(VARIANTS).join(", ")}`);
  const headers = await applyRealistic({ control, proxy, upstream, variant: VARIANTS[variant] });
  // With PIN=1: the Worker under test gets core 1 to itself; client, upstream and control plane share core 0.
  if (process.env.PIN === "1") {
    const pin = (cpu, pid) => execFileSync("taskset", ["-a", "-cp", String(cpu), String(pid)], { stdio: "ignore" });
    for (const pid of [floor.pid, proxy.pid]) pin(1, pid);
    for (const pid of [control.pid, upstream.pid, process.pid]) pin(0, pid);
  }
  console.error(`pids: floor ${floor.pid} proxy ${proxy.pid} control ${control.pid}`);
  const runs = { floor: [], flaremesh: [] };
  const targets = { floor: [floor.port, floor.pid], flaremesh: [proxy.port, proxy.pid] };
  for (let i = 0; i < rounds; i++) {
    for (const name of ["floor", "flaremesh"]) {
      const [port, pid] = targets[name];
      const run = await loadRun({
        url: `http://127.0.0.1:${port}${BENCH_PATH}`,
        headers,
        connections: 16,
        durationS: seconds,
        warmupS: 1,
        pids: [pid],
      });
      if (run.non2xx > 0) throw new Error(`${name}: ${run.non2xx} non-2xx answers`);
      runs[name].push(run);
      console.error(`round ${i + 1} ${name}: ${run.rps} req/s, ${run.cpuMsPerRequest[0]} ms CPU/req`);
    }
  }
  const cpu = (name) => median(runs[name].map((r) => r.cpuMsPerRequest[0]));
  const rps = (name) => median(runs[name].map((r) => r.rps));
  const p99 = (name) => median(runs[name].map((r) => r.latencyMs.p99));
  console.log(
    JSON.stringify(
      {
        floor: { rps: rps("floor"), p99Ms: p99("floor"), cpuMsPerRequest: cpu("floor") },
        flaremesh: { rps: rps("flaremesh"), p99Ms: p99("flaremesh"), cpuMsPerRequest: cpu("flaremesh") },
        proxyShareMsPerRequest: round(cpu("flaremesh") - cpu("floor"), 4),
        // Per round (floor and proxy measured back to back), then the median: less exposed to slow drift.
        pairedProxyShareMsPerRequest: round(
          median(runs.flaremesh.map((r, i) => r.cpuMsPerRequest[0] - runs.floor[i].cpuMsPerRequest[0])),
          4,
        ),
        rpsRatio: round(rps("flaremesh") / rps("floor"), 3),
        p99Ratio: round(p99("flaremesh") / p99("floor"), 2),
      },
      null,
      2,
    ),
  );
} finally {
  await proxy.stop();
  await control.stop();
  await floor.stop();
  await upstream.stop();
}
