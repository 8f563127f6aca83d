// `npx node bench/profile.mjs [seconds] [variant] [--raw]`: CPU profile of the proxy isolate under the benchmark's realistic load,
// taken through the workerd inspector (Chrome DevTools Protocol). Writes bench/proxy.cpuprofile (open it in Chrome
// DevTools → Performance) and prints the functions with the most self time.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { selfTimes } from "./lib/cpu-profile.mjs";
import { profilerArgs, withInspectedProxy } from "./lib/inspector.mjs";

const { seconds, variant, raw } = profilerArgs(process.argv.slice(2), 5);

await withInspectedProxy(
  variant,
  async ({ session, load }) => {
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: 100 });
    await load(2); // warm the JIT first, then profile a measured run
    await session.send("Profiler.start");
    const run = await load(seconds);
    const { result } = await session.send("Profiler.stop");
    const out = fileURLToPath(new URL("./proxy.cpuprofile", import.meta.url));
    writeFileSync(out, JSON.stringify(result.profile));
    console.log(`${run.requests} requests (${run.rps} req/s) profiled → ${out}`);
    for (const row of selfTimes(result.profile, 30, run.requests)) console.log(row);
  },
  { raw },
);
