// One load run with autocannon: a warm-up (not recorded), then a measured run with fixed connections and duration,
// sampling the CPU time and memory of the processes under test around the measured run only.
import { createRequire } from "node:module";
import autocannon from "autocannon";
import { cpuSeconds, rssBytes } from "./proc.mjs";

const require = createRequire(import.meta.resolve("autocannon"));
const hdr = require("hdr-histogram-js");

/** Latencies in microseconds (autocannon's own histogram keeps whole milliseconds, too coarse on loopback). */
function microsecondHistogram() {
  const h = hdr.build({
    useWebAssembly: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const record = h.recordValue.bind(h);
  h.recordValue = (ms) => record(Math.max(1, Math.round(ms * 1000)));
  h.recordValueWithExpectedInterval = (ms) => record(Math.max(1, Math.round(ms * 1000)));
  return h;
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * Loads `url` (127.0.0.1 only) for `warmupS` then `durationS` seconds with `connections` connections.
 * `pids` are the processes whose CPU and memory are attributed to the configuration (e.g. the proxy's workerd).
 */
export async function loadRun({ url, headers = {}, connections, durationS, warmupS, pids = [], beforeMeasured }) {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`load targets only 127.0.0.1: ${url}`);
  const common = { url, headers, connections, pipelining: 1, timeout: 10, excludeErrorStats: true };
  if (warmupS > 0) await run({ ...common, duration: warmupS });
  // E.g. counters read between warm-up and the measured run.
  if (beforeMeasured) await beforeMeasured();
  const latencies = microsecondHistogram();
  const cpuBefore = pids.map(cpuSeconds);
  const started = process.hrtime.bigint();
  const result = await run({ ...common, duration: durationS, histograms: { latencies } });
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = pids.map(cpuSeconds);
  const cpu = pids.map((_, i) => cpuAfter[i] - cpuBefore[i]);
  const ok = result.requests.total - result.non2xx;
  const pct = (p) => latencies.getValueAtPercentile(p) / 1000;
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    durationS: round(elapsedS, 2),
    rps: round(result.requests.total / elapsedS, 0),
    latencyMs: {
      p50: round(pct(50), 3),
      p99: round(pct(99), 3),
      p999: round(pct(99.9), 3),
      max: round(latencies.maxValue / 1000, 3),
    },
    cpuSeconds: cpu.map((c) => round(c, 3)),
    /** Process CPU per request, in milliseconds, for each of `pids`. */
    cpuMsPerRequest: cpu.map((c) => round(result.requests.total > 0 ? (c * 1000) / result.requests.total : NaN, 4)),
    rssMiB: pids.map((pid) => round(rssBytes(pid) / 2 ** 20, 1)),
    statusCodes: result.statusCodeStats,
  };
}

export function round(x, digits) {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
