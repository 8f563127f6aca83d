// A minimal Chrome DevTools Protocol client for the workerd inspector (CPU and allocation profiles of an isolate),
// and the setup both profiling tools share: the real proxy under the benchmark's realistic load, inspected.
/* global WebSocket */
import { BENCH_PATH } from "./config.mjs";
import { loadRun } from "./load.mjs";
import { applyRealistic, VARIANTS } from "./realistic.mjs";
import { startUpstream } from "./upstream.mjs";
import { startControl, startProxy, startProxyRaw } from "./workerd.mjs";

/**
 * The profiling tools' arguments: `[seconds] [variant] [--raw]` (--raw: the proxy in workerd alone, without
 * Miniflare's entry and outbound Workers, bench/lib/raw-workerd.mjs).
 */
export function profilerArgs(argv, defaultSeconds) {
  const positional = argv.filter((a) => !a.startsWith("--"));
  return {
    seconds: Number(positional[0] ?? defaultSeconds),
    variant: positional[1] ?? "full",
    raw: argv.includes("--raw"),
  };
}

/**
 * Runs `fn({session, load})` against a proxy configured with `variant` (a VARIANTS name), with an inspector session
 * on its isolate; `load(seconds)` loads it with the benchmark's request (16 connections). Stops everything after.
 * `raw`: the proxy in workerd alone (bench/lib/raw-workerd.mjs) rather than under Miniflare.
 */
export async function withInspectedProxy(variant, fn, { raw = false } = {}) {
  if (!(variant in VARIANTS)) throw new Error(`variant: one of ${Object.keys(VARIANTS).join(", ")}`);
  const inspectorPort = 9400 + Math.floor(Math.random() * 500);
  const upstream = await startUpstream();
  const control = await startControl();
  const proxy = raw
    ? await startProxyRaw(control.port, { inspectorPort })
    : await startProxy(control.port, {}, { inspectorPort });
  try {
    const applied = await applyRealistic({ control, proxy, upstream, variant: VARIANTS[variant] });
    // In workerd alone, the client adds what Cloudflare's edge (or Miniflare's entry Worker) would.
    const headers = raw ? { ...applied, "cf-connecting-ip": "127.0.0.1" } : applied;
    const session = await inspectWorker(inspectorPort, "flaremesh-proxy");
    const load = (durationS) =>
      loadRun({ url: `http://127.0.0.1:${proxy.port}${BENCH_PATH}`, headers, connections: 16, durationS, warmupS: 0 });
    try {
      return await fn({ session, load });
    } finally {
      session.close();
    }
  } finally {
    await proxy.stop();
    await control.stop();
    await upstream.stop();
  }
}

/** Connects to the inspector target whose title or URL names `worker` (the first target otherwise). */
export async function inspectWorker(inspectorPort, worker) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => String(t.title ?? t.url).includes(worker)) ?? targets[0];
  return cdp(target.webSocketDebuggerUrl);
}

async function cdp(url) {
  // Miniflare's inspector proxy refuses a connection without an allowed Origin.
  const ws = new WebSocket(url, { headers: { origin: "http://localhost" } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let closing = false;
  ws.onclose = (event) => {
    if (!closing) console.error(`inspector connection closed: ${event.code} ${event.reason}`);
  };
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
    /** Sends a command; resolves with the whole answer (`result` or `error`). */
    send(method, params = {}) {
      const msgId = ++id;
      ws.send(JSON.stringify({ id: msgId, method, params }));
      return new Promise((resolve) => pending.set(msgId, resolve));
    },
    close: () => {
      closing = true;
      ws.close();
    },
  };
}
