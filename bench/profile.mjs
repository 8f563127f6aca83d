// `npx node bench/profile.mjs [seconds] [variant]`: CPU profile of the proxy isolate under the benchmark's realistic load,
// taken through the workerd inspector (Chrome DevTools Protocol). Writes bench/proxy.cpuprofile (open it in Chrome
// DevTools → Performance) and prints the functions with the most self time.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BENCH_PATH } from "./lib/config.mjs";
import { loadRun } from "./lib/load.mjs";
import { selfTimes } from "./lib/cpu-profile.mjs";
import { inspectWorker } from "./lib/inspector.mjs";
import { applyRealistic, VARIANTS } from "./lib/realistic.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import { startControl, startProxy } from "./lib/workerd.mjs";

const seconds = Number(process.argv[2] ?? 5);
const variant = process.argv[3] ?? "full";
if (!(variant in VARIANTS)) throw new Error(`variant: one of ${Object.keys(VARIANTS).join(", ")}`);
const INSPECTOR_PORT = 9400 + Math.floor(Math.random() * 500);

const upstream = await startUpstream();
const control = await startControl();
const proxy = await startProxy(control.port, {}, { inspectorPort: INSPECTOR_PORT });
try {
  const headers = await applyRealistic({ control, proxy, upstream, variant: VARIANTS[variant] });
  const session = await inspectWorker(INSPECTOR_PORT, "flaremesh-proxy");
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 100 });
  // Warm the JIT first, then profile a measured run.
  await loadRun({
    url: `http://127.0.0.1:${proxy.port}${BENCH_PATH}`,
    headers,
    connections: 16,
    durationS: 2,
    warmupS: 0,
  });
  await session.send("Profiler.start");
  const run = await loadRun({
    url: `http://127.0.0.1:${proxy.port}${BENCH_PATH}`,
    headers,
    connections: 16,
    durationS: seconds,
    warmupS: 0,
  });
  const { result } = await session.send("Profiler.stop");
  session.close();
  const out = fileURLToPath(new URL("./proxy.cpuprofile", import.meta.url));
  writeFileSync(out, JSON.stringify(result.profile));
  console.log(`${run.requests} requests (${run.rps} req/s) profiled → ${out}`);
  for (const row of selfTimes(result.profile, 30, run.requests)) console.log(row);
} finally {
  await proxy.stop();
  await control.stop();
  await upstream.stop();
}
