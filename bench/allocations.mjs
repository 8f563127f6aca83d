// `npx node bench/allocations.mjs [seconds] [variant] [--raw]`: what the proxy isolate allocates per request under the
// benchmark's realistic load, by function, from V8's sampling heap profiler (objects later collected included).
// Unlike CPU time on this shared VM, allocated bytes per request barely move between runs, so a change that
// allocates less shows up here even when its CPU saving is below the benchmark's noise.
import { allocationRows } from "./lib/allocation-profile.mjs";
import { profilerArgs, withInspectedProxy } from "./lib/inspector.mjs";

const { seconds, variant, raw } = profilerArgs(process.argv.slice(2), 4);
/** Bytes between samples: small enough for a stable per-request figure over a few thousand requests. */
const SAMPLING_INTERVAL = 1024;

await withInspectedProxy(
  variant,
  async ({ session, load }) => {
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
    const { totalBytes, rows } = allocationRows(result.profile, Number(process.env.TOP ?? 30));
    console.log(
      `${run.requests} requests (${run.rps} req/s): ${(totalBytes / run.requests).toFixed(0)} bytes allocated per request (JS heap, sampled every ${SAMPLING_INTERVAL} B)`,
    );
    for (const row of rows)
      console.log(
        `${(row.bytes / run.requests).toFixed(0).padStart(7)} B/req ${((100 * row.bytes) / totalBytes).toFixed(1).padStart(5)}%  ${row.key}`,
      );
  },
  { raw },
);
