// `npx node bench/allocations.mjs [requests] [variant]`: what the proxy isolate allocates per request under the
// benchmark's realistic load, by function, from V8's sampling heap profiler (objects later collected included).
// Unlike CPU time on this shared VM, allocated bytes per request barely move between runs, so a change that
// allocates less shows up here even when its CPU saving is below the benchmark's noise.
import { BENCH_PATH } from "./lib/config.mjs";
import { loadRun } from "./lib/load.mjs";
import { inspectWorker } from "./lib/inspector.mjs";
import { allocationRows } from "./lib/allocation-profile.mjs";
import { applyRealistic, VARIANTS } from "./lib/realistic.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import { startControl, startProxy } from "./lib/workerd.mjs";

const seconds = Number(process.argv[2] ?? 4);
const variant = process.argv[3] ?? "full";
if (!(variant in VARIANTS)) throw new Error(`variant: one of ${Object.keys(VARIANTS).join(", ")}`);
const INSPECTOR_PORT = 9400 + Math.floor(Math.random() * 500);
/** Bytes between samples: small enough for a stable per-request figure over a few thousand requests. */
const SAMPLING_INTERVAL = 1024;

const upstream = await startUpstream();
const control = await startControl();
const proxy = await startProxy(control.port, {}, { inspectorPort: INSPECTOR_PORT });
try {
  const headers = await applyRealistic({ control, proxy, upstream, variant: VARIANTS[variant] });
  const session = await inspectWorker(INSPECTOR_PORT, "flaremesh-proxy");
  const load = (durationS) =>
    loadRun({ url: `http://127.0.0.1:${proxy.port}${BENCH_PATH}`, headers, connections: 16, durationS, warmupS: 0 });
  await load(2); // warm the JIT: optimised code allocates differently from the interpreter's
  await session.send("HeapProfiler.enable");
  const started = await session.send("HeapProfiler.startSampling", {
    samplingInterval: SAMPLING_INTERVAL,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  if (started.error) throw new Error(`HeapProfiler.startSampling: ${started.error.message}`);
  const run = await load(seconds);
  const { result, error } = await session.send("HeapProfiler.stopSampling");
  if (error) throw new Error(`HeapProfiler.stopSampling: ${error.message}`);
  session.close();
  const { totalBytes, rows } = allocationRows(result.profile, Number(process.env.TOP ?? 30));
  console.log(
    `${run.requests} requests (${run.rps} req/s): ${(totalBytes / run.requests).toFixed(0)} bytes allocated per request (JS heap, sampled every ${SAMPLING_INTERVAL} B)`,
  );
  for (const row of rows)
    console.log(
      `${(row.bytes / run.requests).toFixed(0).padStart(7)} B/req ${((100 * row.bytes) / totalBytes).toFixed(1).padStart(5)}%  ${row.key}`,
    );
} finally {
  await proxy.stop();
  await control.stop();
  await upstream.stop();
}
