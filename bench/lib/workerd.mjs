// Starts each benchmarked configuration in a workerd (Miniflare) of its own, so that each one's CPU and memory can
// be read from /proc: the floor Worker, the naive Worker + Durable Object (together, or each in its own workerd),
// and flaremesh (proxy in one workerd; control plane + telemetry shipper in another, joined by
// bench/workers/bridge-*.mjs over loopback).
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEV_ADMIN_TOKEN,
  ROOT,
  bundleWorker,
  readWorkerConfig,
  request,
  toMiniflareWorker,
} from "../../scripts/lib/local-mesh.mjs";
import { withNewWorkerd } from "./proc.mjs";
import { startRawWorkerd } from "./raw-workerd.mjs";

const COMPATIBILITY_DATE = "2026-11-01";
const benchWorker = (file) => fileURLToPath(new URL(`../workers/${file}`, import.meta.url));

async function miniflare(workers, { inspectorPort } = {}) {
  const { Miniflare, convertV4MiniflareOptions, Log, LogLevel } = await import("miniflare");
  const v4 = { host: "127.0.0.1", port: 0, log: new Log(LogLevel.WARN), workers };
  if (inspectorPort !== undefined) v4.inspectorPort = inspectorPort;
  const options = convertV4MiniflareOptions(v4);
  options.enableDevRegistry = false;
  const { value: mf, pid } = await withNewWorkerd(async () => {
    const instance = new Miniflare(options);
    await instance.ready;
    return instance;
  });
  const url = await mf.ready;
  return { mf, pid, port: Number(url.port), stop: () => mf.dispose() };
}

function plainWorker(name, file, extra = {}) {
  return { name, modules: true, scriptPath: benchWorker(file), compatibilityDate: COMPATIBILITY_DATE, ...extra };
}

export function startFloor(upstreamUrl) {
  return miniflare([plainWorker("bench-floor", "floor.mjs", { bindings: { UPSTREAM: upstreamUrl } })]);
}

/** The floor of a header-editing proxy: the floor plus the runtime calls of flaremesh's header edits, no logic. */
export function startHeaderFloor(upstreamUrl) {
  return miniflare([plainWorker("bench-header-floor", "header-floor.mjs", { bindings: { UPSTREAM: upstreamUrl } })]);
}

export function startNaive(upstreamUrl, routes) {
  return miniflare([
    plainWorker("bench-naive", "naive.mjs", {
      bindings: { UPSTREAM: upstreamUrl, ROUTES: String(routes) },
      durableObjects: { ROUTE_TABLE: { className: "RouteTable", useSQLite: true } },
    }),
  ]);
}

/**
 * The naive design with its Durable Object in a workerd of its own (`tableHost`), reached over loopback HTTP as a
 * deployed proxy reaches a Durable Object on another machine. `pid` is the front Worker's workerd.
 */
export async function startNaiveRemote(upstreamUrl, routes) {
  const tableHost = await startNaive(upstreamUrl, routes);
  try {
    const front = await miniflare([
      plainWorker("bench-naive-remote", "naive.mjs", {
        bindings: { UPSTREAM: upstreamUrl, ROUTE_TABLE_URL: `http://127.0.0.1:${tableHost.port}` },
      }),
    ]);
    return {
      ...front,
      tableHost,
      stop: async () => {
        await front.stop();
        await tableHost.stop();
      },
    };
  } catch (err) {
    await tableHost.stop();
    throw err;
  }
}

/**
 * The same Workers in workerd alone (bench/lib/raw-workerd.mjs): no Miniflare entry Worker in front, no outbound
 * Worker behind `fetch`. A client stands in for Cloudflare's edge by sending `cf-connecting-ip` itself.
 */
export function startFloorRaw(upstreamUrl) {
  return startForwarderRaw("bench-floor", "floor.mjs", upstreamUrl);
}

export function startHeaderFloorRaw(upstreamUrl) {
  return startForwarderRaw("bench-header-floor", "header-floor.mjs", upstreamUrl);
}

/** A bench Worker whose only binding is the upstream's URL, in workerd alone. */
function startForwarderRaw(name, file, upstreamUrl) {
  return startRawWorkerd([{ name, modulePath: benchWorker(file), bindings: { UPSTREAM: { text: upstreamUrl } } }], {
    compatibilityDate: COMPATIBILITY_DATE,
  });
}

export function startNaiveRaw(upstreamUrl, routes) {
  return startRawWorkerd(
    [
      {
        name: "bench-naive",
        modulePath: benchWorker("naive.mjs"),
        bindings: {
          UPSTREAM: { text: upstreamUrl },
          ROUTES: { text: String(routes) },
          ROUTE_TABLE: { durableObject: "RouteTable" },
        },
      },
    ],
    { compatibilityDate: COMPATIBILITY_DATE },
  );
}

/**
 * The proxy in workerd alone, its CONTROL and TELEMETRY_QUEUE bridged to `controlPort` as in `startProxy`;
 * `root`: the checkout whose proxy to build (this one by default); `inspectorPort`: for the profiling tools.
 */
export async function startProxyRaw(controlPort, { root = ROOT, inspectorPort } = {}) {
  const proxy = await meshWorker("infra/proxy.toml", root);
  const vars = Object.fromEntries(Object.entries(proxy.config.vars ?? {}).map(([k, v]) => [k, { text: String(v) }]));
  return startRawWorkerd(
    [
      {
        name: "flaremesh-proxy",
        modulePath: proxy.scriptPath,
        bindings: {
          ...vars,
          MESH_TLS_LISTENER_SECRET: { text: randomBytes(32).toString("base64url") },
          CONTROL: { service: "bench-bridge-client", entrypoint: "ProxyApi" },
          TELEMETRY_QUEUE: { service: "bench-bridge-client", entrypoint: "TelemetryQueue" },
        },
      },
      {
        name: "bench-bridge-client",
        modulePath: benchWorker("bridge-client.mjs"),
        bindings: { BRIDGE_URL: { text: `http://127.0.0.1:${controlPort}` } },
      },
    ],
    { compatibilityDate: proxy.config.compatibility_date ?? COMPATIBILITY_DATE, inspectorPort },
  );
}

let buildDir = null;
const bundles = new Map();
/**
 * Each mesh Worker bundled once per benchmark run, exactly as the local mesh bundles it; `root` another checkout
 * (compare-revisions builds an older proxy from its worktree).
 */
async function meshWorker(configPath, root = ROOT) {
  if (buildDir === null) {
    buildDir = mkdtempSync(join(tmpdir(), "flaremesh-bench-"));
    // The bundles are read when a workerd starts; the benchmark's process outlives every workerd it starts.
    const dir = buildDir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  const key = join(root, configPath);
  let entry = bundles.get(key);
  if (entry === undefined) {
    const config = await readWorkerConfig(key);
    entry = { config, scriptPath: await bundleWorker(config, join(buildDir, String(bundles.size))) };
    bundles.set(key, entry);
  }
  return entry;
}

/** Control plane (admin API on Host control.localhost), telemetry shipper, and the bridge's far end (default host). */
export async function startControl({ adminToken = DEV_ADMIN_TOKEN } = {}) {
  const control = await meshWorker("wrangler.toml");
  const telemetry = await meshWorker("infra/telemetry.toml");
  const controlWorker = toMiniflareWorker(control.config, control.scriptPath, {
    MESH_ENV: "development",
    MESH_ADMIN_TOKEN: adminToken,
  });
  controlWorker.routes = ["control.localhost/*"];
  const workers = [
    plainWorker("bench-bridge-server", "bridge-server.mjs", {
      serviceBindings: { CONTROL: { name: control.config.name, entrypoint: "ProxyApi" } },
      queueProducers: { TELEMETRY_QUEUE: { queueName: "flaremesh-telemetry" } },
    }),
    controlWorker,
    toMiniflareWorker(telemetry.config, telemetry.scriptPath),
  ];
  const started = await miniflare(workers);
  const api = async (method, path, body, { contentType = "application/yaml", token = adminToken } = {}) => {
    const headers = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = contentType;
    const res = await request(started.port, "control.localhost", path, { method, headers, body });
    let json;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { ...res, json };
  };
  await waitFor(async () => (await api("GET", "/healthz")).status === 200, 30_000, "control plane healthy");
  /** The size of the whole current snapshot, as a proxy without configuration receives it. */
  const wholeSnapshotBytes = async () => {
    const body = JSON.stringify({ proxyId: "bench-size", worker: "bench", servedRevision: null });
    const res = await request(started.port, "127.0.0.1", "/bridge/getSnapshot", { method: "POST", body });
    return JSON.parse(res.body).snapshot.length;
  };
  return { ...started, api, adminToken, wholeSnapshotBytes };
}

/**
 * The real proxy, bundled from infra/proxy.toml, with CONTROL and TELEMETRY_QUEUE bridged to `control`. Global
 * rate limits (RATE_LIMIT, a Durable Object of the control Worker) are not bound: the realistic configuration
 * has none, and the proxy treats the binding as optional.
 */
export async function startProxy(controlPort, vars = {}, { inspectorPort } = {}) {
  const proxy = await meshWorker("infra/proxy.toml");
  const worker = toMiniflareWorker(proxy.config, proxy.scriptPath, {
    MESH_TLS_LISTENER_SECRET: randomBytes(32).toString("base64url"),
    ...vars,
  });
  worker.serviceBindings = {
    CONTROL: { name: "bench-bridge-client", entrypoint: "ProxyApi" },
    TELEMETRY_QUEUE: { name: "bench-bridge-client", entrypoint: "TelemetryQueue" },
  };
  worker.durableObjects = {};
  delete worker.queueProducers;
  const bridge = plainWorker("bench-bridge-client", "bridge-client.mjs", {
    bindings: { BRIDGE_URL: `http://127.0.0.1:${controlPort}` },
  });
  if (inspectorPort !== undefined) worker.unsafeInspectorProxy = true;
  const started = await miniflare([worker, bridge], { inspectorPort });
  return {
    ...started,
    /** Calls the proxy made to the control plane so far, by method, and the size of the last snapshot received. */
    async bridgeCounts() {
      const res = await (await started.mf.getWorker("bench-bridge-client")).fetch("http://bridge/counts");
      return res.json();
    },
  };
}

export async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
