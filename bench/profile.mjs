// `npx node bench/profile.mjs [seconds] [variant]`: CPU profile of the proxy isolate under the benchmark's realistic load,
/* global WebSocket */
// taken through the workerd inspector (Chrome DevTools Protocol). Writes bench/proxy.cpuprofile (open it in Chrome
// DevTools → Performance) and prints the functions with the most self time.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BENCH_PATH } from "./lib/config.mjs";
import { loadRun } from "./lib/load.mjs";
import { selfTimes } from "./lib/cpu-profile.mjs";
import { applyRealistic, VARIANTS } from "./lib/realistic.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import { startControl, startProxy } from "./lib/workerd.mjs";

const seconds = Number(process.argv[2] ?? 5);
const variant = process.argv[3] ?? "full";
if (!(variant in VARIANTS)) throw new Error(`variant: one of ${Object.keys(VARIANTS).join(", ")}`);
const INSPECTOR_PORT = 9400 + Math.floor(Math.random() * 500);

async function cdp(url) {
  // Miniflare's inspector proxy refuses a connection without an allowed Origin.
  const ws = new WebSocket(url, { headers: { origin: "http://localhost" } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.onclose = (event) => console.error(`inspector connection closed: ${event.code} ${event.reason}`);
  let id = 0;
  const pending = new Map();
  ws.onmessage = (event) => {
    const msg = JSON.parse(String(event.data));
    if (msg.id !== undefined && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  };
  return {
    send(method, params = {}) {
      const msgId = ++id;
      ws.send(JSON.stringify({ id: msgId, method, params }));
      return new Promise((resolve) => pending.set(msgId, resolve));
    },
    close: () => ws.close(),
  };
}

const upstream = await startUpstream();
const control = await startControl();
const proxy = await startProxy(control.port, {}, { inspectorPort: INSPECTOR_PORT });
try {
  const headers = await applyRealistic({ control, proxy, upstream, variant: VARIANTS[variant] });
  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json();
  const target = targets.find((t) => String(t.title ?? t.url).includes("flaremesh-proxy")) ?? targets[0];
  const session = await cdp(target.webSocketDebuggerUrl);
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
