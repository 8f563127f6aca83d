// `npm run bench [-- --quick | --tiny] [--out FILE]`: the benchmark suite. Runs every configuration side by side
/* global performance */
// against the same loopback upstream with the same client, measures the scaling, propagation, control-plane and
// cold-start numbers, writes bench/results.json and prints a table. Loads target 127.0.0.1 only and stop by themselves.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { request } from "../scripts/lib/local-mesh.mjs";
import { proxyBundleSize } from "./lib/bundle-size.mjs";
import {
  BENCH_PATH,
  BENCH_TENANT,
  CLIENT_SERVICE,
  ROUTES,
  largeMesh,
  realisticConfig,
  scalePath,
  scaleService,
} from "./lib/config.mjs";
import { loadRun, round } from "./lib/load.mjs";
import { machineInfo, nginxPath } from "./lib/machine.mjs";
import { startNginx } from "./lib/nginx.mjs";
import { PROFILES } from "./lib/profiles.mjs";
import { routeScaling } from "./lib/route-scale.mjs";
import {
  applyJson,
  applyYaml,
  meshConfigPropagation,
  policyApplies,
  propagation,
  summary,
} from "./lib/control-plane.mjs";
import { evaluateTargets, printTable } from "./lib/report.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import {
  startControl,
  startFloor,
  startFloorRaw,
  startHeaderFloor,
  startHeaderFloorRaw,
  startNaive,
  startNaiveRaw,
  startNaiveRemote,
  startProxy,
  startProxyRaw,
} from "./lib/workerd.mjs";

const args = process.argv.slice(2);
const profileName = args.includes("--tiny") ? "tiny" : args.includes("--quick") ? "quick" : "full";
const outIndex = args.indexOf("--out");
const outFile = outIndex !== -1 ? args[outIndex + 1] : fileURLToPath(new URL("./results.json", import.meta.url));
const P = PROFILES[profileName];
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

const results = {
  profile: profileName,
  meta: { ...machineInfo(), startedAt: new Date().toISOString() },
  settings: {
    connections: P.connections,
    rounds: P.rounds,
    warmupS: P.warmupS,
    durationS: P.durationS,
    client: "autocannon (in the benchmark process), pipelining 1",
    upstream: "Node HTTP server in its own process on 127.0.0.1, fixed 38-byte JSON body",
    request: `GET ${BENCH_PATH} with Host bench.localhost, x-tenant, x-mesh-identity (same bytes for every configuration)`,
  },
  configurations: {},
  notes: [],
};

async function firstOk(port, host, path, headers, timeoutMs = 10_000) {
  const t0 = now();
  for (;;) {
    const res = await request(port, host, path, { headers });
    if (res.status === 200) return { ms: now() - t0, res };
    if (now() - t0 > timeoutMs)
      throw new Error(`no 200 from ${host}${path} within ${timeoutMs} ms: ${res.status} ${res.body}`);
    await sleep(10);
  }
}

/** The header floor answers like the proxy (x-request-id, the route's header) and its upstream sees the edits. */
async function checkHeaderFloor(port, headers) {
  const { res } = await firstOk(port, "bench.localhost", BENCH_PATH, headers);
  const probe = await request(port, "bench.localhost", "/probe", { headers });
  if (
    res.headers["x-bench-route"] !== "r151" ||
    !res.headers["x-request-id"] ||
    probe.headers["x-bench-saw-b3"] !== "1"
  )
    throw new Error("the header floor does not make flaremesh's header edits");
}

/**
 * A configuration forwards the benchmark request's path with a query exactly as sent: the upstream answers any path,
 * so a forwarder that cut the URL wrongly would otherwise be measured as if it worked.
 */
async function checkPathForwarded(name, port, headers) {
  const path = `${BENCH_PATH}?q=a%20b&r=%2F&s`;
  const res = await request(port, "bench.localhost", path, { headers: { ...headers, "x-bench-echo-path": "1" } });
  const seen = res.headers["x-bench-saw-path"];
  if (res.status !== 200 || seen !== path) throw new Error(`${name} forwarded ${path} as ${seen} (${res.status})`);
}

async function identityToken(control) {
  const cred = await control.api("POST", "/v1/credentials", JSON.stringify({ service: CLIENT_SERVICE }), {
    contentType: "application/json",
  });
  if (cred.status !== 201) throw new Error(`credential: ${cred.status} ${cred.body}`);
  const tok = await control.api("POST", "/v1/identity/token", undefined, { token: cred.json.credential });
  if (tok.status !== 200) throw new Error(`identity token: ${tok.status} ${tok.body}`);
  return tok.json.token;
}

/** Time from an apply returning to the proxy answering with the new revision's response header, over `count` applies. */
async function measureDirect(upstream, headers) {
  log("direct: client → upstream");
  results.configurations.direct = {
    ...(await loadRun({ url: `${upstream.url}${BENCH_PATH}`, headers, ...loadShape(), pids: [upstream.pid] })),
    processes: ["upstream"],
  };
}

/** The same bytes as the flaremesh request: a placeholder of the real token's length. */
const placeholderHeaders = (headers) => ({ ...headers, "x-mesh-identity": "x".repeat(600) });
/**
 * Workers in workerd alone get the header Cloudflare's edge (and Miniflare's entry Worker) adds to every request,
 * from the client instead.
 */
const asFromEdge = (headers) => ({ ...headers, "cf-connecting-ip": "127.0.0.1" });

const loadShape = () => ({ connections: P.connections, durationS: P.durationS, warmupS: P.warmupS });

/** Median of a list (the upper one of the middle two). */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One configuration's rounds folded into one result: medians per figure, plus each round for the spread. */
function combineRounds(runs) {
  const m = (f) => round(median(runs.map(f)), 4);
  const cpu = runs[0].cpuMsPerRequest.map((_, i) => m((r) => r.cpuMsPerRequest[i]));
  return {
    rounds: runs.length,
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    ok: runs.reduce((sum, r) => sum + r.ok, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    durationS: round(
      runs.reduce((sum, r) => sum + r.durationS, 0),
      2,
    ),
    rps: m((r) => r.rps),
    latencyMs: {
      p50: m((r) => r.latencyMs.p50),
      p99: m((r) => r.latencyMs.p99),
      p999: m((r) => r.latencyMs.p999),
      max: Math.max(...runs.map((r) => r.latencyMs.max)),
    },
    cpuMsPerRequest: cpu,
    rssMiB: runs.at(-1).rssMiB,
    perRound: runs.map((r) => ({ rps: r.rps, p99Ms: r.latencyMs.p99, cpuMsPerRequest: r.cpuMsPerRequest })),
  };
}

/**
 * Pins the Worker runtimes under test to the last core and everything else (this process with the load client,
 * the upstream, the control plane) to the others, so the measured workerd never competes for its core. Returns
 * a function that undoes it. Without `taskset` (or with one core) nothing is pinned.
 */
function pinProcesses(measured, others) {
  const cores = os.cpus().length;
  const run = (cpus, pid) => execFileSync("taskset", ["-a", "-cp", cpus, String(pid)], { stdio: "ignore" });
  try {
    if (cores < 2) return null;
    const last = String(cores - 1);
    const rest = cores === 2 ? "0" : `0-${cores - 2}`;
    for (const pid of measured) run(last, pid);
    for (const pid of [...others, process.pid]) run(rest, pid);
    return {
      measuredCore: Number(last),
      otherCores: rest,
      undo: () => {
        for (const pid of [...measured, ...others, process.pid]) {
          try {
            run(`0-${cores - 1}`, pid);
          } catch {
            // A process that has exited needs no unpinning.
          }
        }
      },
    };
  } catch {
    return null;
  }
}

/**
 * floor, header floor, naive and flaremesh run side by side: all are started, then loaded in turn, round after
 * round, so that a change in the machine's load (it is shared) hits them alike. Returns the running control plane
 * and proxy for the flaremesh-only phases that follow.
 */
async function measureSideBySide(upstream, placeholder, baseHeaders) {
  log(
    "side by side: starting floor, header floor, naive and flaremesh (control plane and proxy each in its own workerd)",
  );
  const t0 = now();
  const floor = await startFloor(upstream.url);
  const floorReadyMs = now() - t0;
  const headerFloor = await startHeaderFloor(upstream.url);
  const naive = await startNaive(upstream.url, ROUTES);
  const naiveRemote = await startNaiveRemote(upstream.url, ROUTES);
  const control = await startControl();
  const proxy = await startProxy(control.port);
  // The same in workerd alone, without Miniflare's shims (bench/lib/raw-workerd.mjs).
  const floorRaw = await startFloorRaw(upstream.url);
  const headerFloorRaw = await startHeaderFloorRaw(upstream.url);
  const naiveRaw = await startNaiveRaw(upstream.url, ROUTES);
  const proxyRaw = await startProxyRaw(control.port);
  let pinned = null;
  try {
    const floorFirst = await firstOk(floor.port, "bench.localhost", BENCH_PATH, placeholder);
    results.coldStart = {
      floor: { workerdReadyMs: round(floorReadyMs, 1), firstResponseMs: round(floorFirst.ms, 1) },
    };
    await checkHeaderFloor(headerFloor.port, placeholder);
    await firstOk(naive.port, "bench.localhost", BENCH_PATH, placeholder);
    await firstOk(naiveRemote.port, "bench.localhost", BENCH_PATH, placeholder);
    await firstOk(floorRaw.port, "bench.localhost", BENCH_PATH, asFromEdge(placeholder));
    await checkHeaderFloor(headerFloorRaw.port, asFromEdge(placeholder));
    await firstOk(naiveRaw.port, "bench.localhost", BENCH_PATH, asFromEdge(placeholder));
    for (const [name, port, h] of [
      ["floor", floor.port, placeholder],
      ["headerFloor", headerFloor.port, placeholder],
      ["naive", naive.port, placeholder],
      ["naiveRemote", naiveRemote.port, placeholder],
      ["floorRaw", floorRaw.port, asFromEdge(placeholder)],
      ["headerFloorRaw", headerFloorRaw.port, asFromEdge(placeholder)],
      ["naiveRaw", naiveRaw.port, asFromEdge(placeholder)],
    ])
      await checkPathForwarded(name, port, h);

    const applied = await applyYaml(
      control,
      realisticConfig({ upstreamUrl: upstream.url, receiverUrl: upstream.receiverUrl, strict: true }),
    );
    const token = await identityToken(control);
    const headers = { ...baseHeaders, "x-mesh-identity": token };
    const first = await firstOk(proxy.port, "bench.localhost", BENCH_PATH, headers);
    const firstRaw = await firstOk(proxyRaw.port, "bench.localhost", BENCH_PATH, asFromEdge(headers));
    for (const answer of [first, firstRaw])
      if (answer.res.headers["x-bench-route"] !== "r151")
        throw new Error("the benchmark request did not match route r151");
    await checkPathForwarded("flaremesh", proxy.port, headers);
    await checkPathForwarded("flaremeshRaw", proxyRaw.port, asFromEdge(headers));
    const unauthenticated = await request(proxy.port, "bench.localhost", BENCH_PATH, { headers: baseHeaders });
    if (unauthenticated.status !== 401) throw new Error(`STRICT not enforced: ${unauthenticated.status}`);
    results.flaremeshConfig = {
      revision: applied.revision,
      routes: ROUTES,
      peerAuthentication: "STRICT (verified x-mesh-identity token; a request without one answers 401)",
      resources: [
        "Service×2",
        "VirtualService (200 routes)",
        "DestinationRule (outlierDetection)",
        "PeerAuthentication",
        "AuthorizationPolicy",
        "TelemetrySink http-json (logs + traces, 100%)",
      ],
      matchedRoute: "r151 (after ~75 header/regex candidates)",
    };

    pinned = pinProcesses(
      [
        floor.pid,
        headerFloor.pid,
        naive.pid,
        naiveRemote.pid,
        proxy.pid,
        floorRaw.pid,
        headerFloorRaw.pid,
        naiveRaw.pid,
        proxyRaw.pid,
      ],
      [upstream.pid, control.pid, naiveRemote.tableHost.pid],
    );
    results.settings.pinning = pinned
      ? `the workerd under test on core ${pinned.measuredCore}; client, upstream and control plane on ${pinned.otherCores}`
      : "none (taskset unavailable or a single core)";

    const doCalls = async (target = naive) =>
      JSON.parse((await request(target.port, "bench.localhost", "/__bench/do-calls")).body).calls;
    const runs = {
      floor: [],
      headerFloor: [],
      naive: [],
      naiveRemote: [],
      flaremesh: [],
      floorRaw: [],
      headerFloorRaw: [],
      naiveRaw: [],
      flaremeshRaw: [],
    };
    let naiveCalls = 0;
    let naiveRemoteCalls = 0;
    const bridge = { requests: 0, durationS: 0, delta: {} };
    const received = await upstream.receiverStats();
    for (let i = 0; i < P.rounds; i++) {
      log(`round ${i + 1}/${P.rounds}: floor, header floor, naive, naive with a remote Durable Object, flaremesh`);
      for (const [name, target] of [
        ["floor", floor],
        ["headerFloor", headerFloor],
      ]) {
        const url = `http://127.0.0.1:${target.port}${BENCH_PATH}`;
        runs[name].push(await loadRun({ url, headers: placeholder, ...loadShape(), pids: [target.pid, upstream.pid] }));
      }
      let before = 0;
      const naiveRun = await loadRun({
        url: `http://127.0.0.1:${naive.port}${BENCH_PATH}`,
        headers: placeholder,
        ...loadShape(),
        pids: [naive.pid, upstream.pid],
        beforeMeasured: async () => {
          before = await doCalls();
        },
      });
      naiveCalls += (await doCalls()) - before;
      runs.naive.push(naiveRun);
      const remoteRun = await loadRun({
        url: `http://127.0.0.1:${naiveRemote.port}${BENCH_PATH}`,
        headers: placeholder,
        ...loadShape(),
        pids: [naiveRemote.pid, naiveRemote.tableHost.pid, upstream.pid],
        beforeMeasured: async () => {
          before = await doCalls(naiveRemote);
        },
      });
      naiveRemoteCalls += (await doCalls(naiveRemote)) - before;
      runs.naiveRemote.push(remoteRun);
      let counts = null;
      const meshRun = await loadRun({
        url: `http://127.0.0.1:${proxy.port}${BENCH_PATH}`,
        headers,
        ...loadShape(),
        pids: [proxy.pid, control.pid, upstream.pid],
        beforeMeasured: async () => {
          counts = await proxy.bridgeCounts();
        },
      });
      const after = await proxy.bridgeCounts();
      for (const k of Object.keys(after.counts))
        bridge.delta[k] = (bridge.delta[k] ?? 0) + after.counts[k] - counts.counts[k];
      bridge.requests += meshRun.requests;
      bridge.durationS += meshRun.durationS;
      runs.flaremesh.push(meshRun);
      log(`round ${i + 1}/${P.rounds}: floor, header floor, naive and flaremesh in workerd alone`);
      for (const [name, target, h] of [
        ["floorRaw", floorRaw, placeholder],
        ["headerFloorRaw", headerFloorRaw, placeholder],
        ["naiveRaw", naiveRaw, placeholder],
        ["flaremeshRaw", proxyRaw, headers],
      ]) {
        const url = `http://127.0.0.1:${target.port}${BENCH_PATH}`;
        runs[name].push(
          await loadRun({ url, headers: asFromEdge(h), ...loadShape(), pids: [target.pid, upstream.pid] }),
        );
      }
    }
    await sleep(2500); // let the last telemetry batches ship
    const receivedAfter = await upstream.receiverStats();

    results.configurations.floor = { ...combineRounds(runs.floor), processes: ["workerd (floor Worker)", "upstream"] };
    results.configurations.headerFloor = {
      ...combineRounds(runs.headerFloor),
      processes: ["workerd (header floor Worker: the floor plus flaremesh's header edits, no logic)", "upstream"],
    };
    results.configurations.naive = {
      ...combineRounds(runs.naive),
      processes: ["workerd (naive Worker + Durable Object)", "upstream"],
    };
    results.configurations.naiveRemote = {
      ...combineRounds(runs.naiveRemote),
      processes: ["workerd (naive Worker)", "workerd (its Durable Object, reached over loopback HTTP)", "upstream"],
    };
    results.configurations.flaremesh = {
      ...combineRounds(runs.flaremesh),
      processes: ["workerd (proxy)", "workerd (control plane + telemetry shipper)", "upstream"],
    };
    const alone = "workerd alone, no Miniflare shims";
    results.configurations.floorRaw = {
      ...combineRounds(runs.floorRaw),
      processes: [`workerd (floor Worker; ${alone})`, "upstream"],
    };
    results.configurations.headerFloorRaw = {
      ...combineRounds(runs.headerFloorRaw),
      processes: [`workerd (header floor Worker; ${alone})`, "upstream"],
    };
    results.configurations.naiveRaw = {
      ...combineRounds(runs.naiveRaw),
      processes: [`workerd (naive Worker + Durable Object; ${alone})`, "upstream"],
    };
    results.configurations.flaremeshRaw = {
      ...combineRounds(runs.flaremeshRaw),
      processes: [`workerd (proxy; ${alone})`, "upstream"],
    };
    const naiveRequests = results.configurations.naive.requests;
    const doReachable = bridge.delta.getSnapshot + bridge.delta.getJwks + bridge.delta.reportMetrics;
    // What the background alone may make in that time, whatever the request rate: a config poll per refresh
    // interval (250 ms → 4/s) and a metrics flush per second, doubled for timer slack and acknowledging polls.
    // A per-request call would exceed it by thousands.
    const backgroundBudget = Math.ceil(bridge.durationS) * 2 * (4 + 1) + 6 * P.rounds;
    results.hotPath = {
      naive: {
        durableObjectCalls: naiveCalls,
        perRequest: round(naiveCalls / Math.max(1, naiveRequests), 3),
        note: "RouteTable RPCs during the measured runs (each answers from SQLite); one per request by design",
      },
      naiveRemote: {
        durableObjectCalls: naiveRemoteCalls,
        perRequest: round(naiveRemoteCalls / Math.max(1, results.configurations.naiveRemote.requests), 3),
        objectHostCpuMsPerRequest: results.configurations.naiveRemote.cpuMsPerRequest[1],
        // One object serves every proxy of the mesh, on one thread: its CPU per request caps the whole mesh.
        meshCeilingRps: round(1000 / results.configurations.naiveRemote.cpuMsPerRequest[1], 0),
        note:
          "the same design with its Durable Object in another workerd (as on Cloudflare, where it runs on one machine): " +
          "one loopback HTTP call per request; the object's CPU per request bounds the rate of the whole mesh",
      },
      flaremesh: {
        requests: bridge.requests,
        controlCalls: bridge.delta,
        controlCallsPerSecond: round(doReachable / bridge.durationS, 2),
        controlCallsPerRequest: round(doReachable / Math.max(1, bridge.requests), 5),
        backgroundBudget,
        durableObjectRequestsOnHotPath: Math.max(0, doReachable - backgroundBudget),
        note:
          "every call from the proxy to the control plane (the only way it reaches a Durable Object) is counted by the bridge; " +
          "they are background polls (config ~4/s, metrics 1/s), independent of the request rate, and never awaited by a request",
      },
    };
    results.telemetry = {
      receiverPosts: receivedAfter.posts - received.posts,
      receiverItems: receivedAfter.items - received.items,
      note: "access-log entries and spans that reached the http-json sink during the load runs (plus 2.5 s to drain)",
    };
    return { control, proxy };
  } catch (err) {
    await proxy.stop();
    await control.stop();
    throw err;
  } finally {
    pinned?.undo();
    for (const s of [floor, headerFloor, naive, naiveRemote, floorRaw, headerFloorRaw, naiveRaw, proxyRaw])
      await s.stop();
  }
}

/** nginx in front of the same upstream, for context (a native reverse proxy on the same machine), when installed. */
async function measureNginx(upstream, headers) {
  const binary = nginxPath();
  if (binary === null) {
    results.configurations.nginx = { skipped: "nginx is not installed on this machine (`which nginx` finds nothing)" };
    return;
  }
  log(`nginx (${binary}): client → nginx → upstream`);
  const nginx = await startNginx(binary, upstream.url);
  // Pinned like the Worker runtimes under test: its one worker process on the last core.
  const pinned = pinProcesses([nginx.pid], [upstream.pid, nginx.masterPid]);
  try {
    results.configurations.nginx = {
      ...(await loadRun({
        url: `http://127.0.0.1:${nginx.port}${BENCH_PATH}`,
        headers,
        ...loadShape(),
        pids: [nginx.pid, upstream.pid],
      })),
      processes: ["nginx worker (1, keep-alive to the upstream)", "upstream"],
    };
  } finally {
    pinned?.undo();
    await nginx.stop();
  }
}

async function measureFlaremesh(upstream, baseHeaders) {
  const { control, proxy } = await measureSideBySide(upstream, placeholderHeaders(baseHeaders), baseHeaders);
  try {
    log("flaremesh: config propagation (small mesh)");
    results.propagation = {
      small: { services: 3, ...(await propagation(control, proxy, upstream.url, P.propagationApplies, "small")) },
    };

    log("flaremesh: cold start (under Miniflare and in workerd alone, in alternation)");
    const freshToken = await identityToken(control);
    const headers = { ...baseHeaders, "x-mesh-identity": freshToken };
    /** A fresh proxy workerd: time to be ready, to its first proxied response, and to its second. */
    const coldRun = async (start, h) => {
      const t0 = now();
      const fresh = await start();
      const readyMs = now() - t0;
      try {
        const t1 = now();
        const res = await request(fresh.port, "bench.localhost", BENCH_PATH, { headers: h });
        const firstMs = now() - t1;
        if (res.status !== 200) throw new Error(`cold proxy answered ${res.status}: ${res.body}`);
        const t2 = now();
        await request(fresh.port, "bench.localhost", BENCH_PATH, { headers: h });
        return { readyMs, firstMs, secondMs: now() - t2 };
      } finally {
        await fresh.stop();
      }
    };
    const colds = [];
    const coldsRaw = [];
    for (let i = 0; i < P.coldStarts; i++) {
      colds.push(await coldRun(() => startProxy(control.port), headers));
      coldsRaw.push(await coldRun(() => startProxyRaw(control.port), asFromEdge(headers)));
    }
    const coldSummary = (runs) => ({
      runs: runs.length,
      workerdReadyMs: summary(runs.map((c) => c.readyMs)),
      firstResponseMs: summary(runs.map((c) => c.firstMs)),
      secondResponseMs: summary(runs.map((c) => c.secondMs)),
    });
    results.coldStart.flaremesh = {
      ...coldSummary(colds),
      note: "first response = fresh isolate with no config: loads the snapshot over RPC (bridged), compiles it, then proxies",
    };
    results.coldStart.flaremeshRaw = { ...coldSummary(coldsRaw), note: "the same, the proxy in workerd alone" };

    log("flaremesh: end-to-end rps at 10 vs 10,000 routes");
    const scale = {};
    for (const routes of P.scaleRoutes) {
      const name = `scale${routes}`;
      for (const batch of scaleService({ name, routes, upstreamUrl: upstream.url })) await applyJson(control, batch);
      const path = scalePath(routes);
      await firstOk(proxy.port, `${name}.localhost`, path, { ...baseHeaders, host: `${name}.localhost` });
      const run = await loadRun({
        url: `http://127.0.0.1:${proxy.port}${path}`,
        headers: { ...baseHeaders, host: `${name}.localhost` },
        connections: P.connections,
        durationS: P.scaleDurationS,
        warmupS: P.warmupS,
        pids: [proxy.pid],
      });
      scale[routes] = {
        rps: run.rps,
        latencyMs: run.latencyMs,
        proxyCpuMsPerRequest: run.cpuMsPerRequest[0],
        non2xx: run.non2xx,
      };
    }
    results.routeScaling = { endToEnd: scale };

    log(
      `flaremesh: control plane at ${P.largeServices} services / ${P.largeServices * P.largeRoutesPerService} routes`,
    );
    const batches = largeMesh({
      upstreamUrl: upstream.url,
      count: P.largeServices,
      routesPerService: P.largeRoutesPerService,
    });
    const batchResults = [];
    for (const docs of batches) batchResults.push(await applyJson(control, docs));
    const largeProp = await propagation(control, proxy, upstream.url, P.largePropagationApplies, "large");
    const policies = await policyApplies(control, { target: "m0", count: P.policyApplies });
    const mtlsMode = await meshConfigPropagation(control, proxy, Math.max(2, P.policyApplies), "mtls");
    const meshConfig = await meshConfigPropagation(control, proxy, Math.max(2, P.policyApplies));
    const counts = await proxy.bridgeCounts();
    // Everything in the snapshot by then: the large mesh, the route-scaling Services and the realistic config.
    const meshRoutes =
      P.largeServices * P.largeRoutesPerService + P.scaleRoutes.reduce((sum, n) => sum + n, 0) + ROUTES + 1;
    results.controlPlane = {
      services: P.largeServices,
      routes: P.largeServices * P.largeRoutesPerService,
      meshServicesInSnapshot: P.largeServices + 3 + P.scaleRoutes.length,
      meshRoutesInSnapshot: meshRoutes,
      batches: batches.length,
      batchBodyBytes: summary(batchResults.map((b) => b.bytes)),
      applyBatchMs: summary(batchResults.map((b) => b.ms)),
      applyAllMs: round(
        batchResults.reduce((s, b) => s + b.ms, 0),
        0,
      ),
      lastBatchMs: round(batchResults.at(-1).ms, 1),
      singleChangeApplyMsAtSize: largeProp.applyMs,
      ...policies,
      ...meshConfig,
      ...mtlsMode,
      snapshotBytes: await control.wholeSnapshotBytes(),
      proxyAnswers: counts.answers,
      note:
        "applied in batches of 100 Services + 100 HTTPRoutes (the API refuses bodies over 1 MiB); an apply recompiles the Services it touches " +
        "(targetedPolicyApplyMs: a TrafficPolicy naming one Service; selectorPolicyApplyMs: an AuthorizationPolicy selecting one Service by its app label; " +
        "namespacePolicyApplyMs: an AuthorizationPolicy for the whole namespace, every Service; " +
        "meshConfigApplyMs / meshConfigApplyStartToServedMs: the MeshConfig's trace propagation switched, until the probe's upstream sees it; " +
        "mtlsModeApplyMs / mtlsModeApplyStartToServedMs: its defaultMtlsMode switched PERMISSIVE / STRICT, which the proxy applies to every Service no PeerAuthentication decides for, until the probe answers 200 / 401); " +
        "proxyAnswers: what the proxy received per new revision (a whole snapshot first, then deltas with the changed services only)",
    };
    results.propagation.large = {
      services: P.largeServices + 3 + P.scaleRoutes.length,
      routes: meshRoutes,
      ...largeProp,
    };
  } finally {
    await proxy.stop();
    await control.stop();
  }
}

async function main() {
  log(
    `profile ${profileName}: ${P.connections} connections, ${P.warmupS} s warm-up + ${P.durationS} s per configuration`,
  );
  const upstream = await startUpstream();
  const headers = { host: "bench.localhost", "x-tenant": BENCH_TENANT };
  // Every configuration receives the same bytes: a placeholder token of the real token's length is replaced later.
  try {
    const placeholder = placeholderHeaders(headers);
    await measureDirect(upstream, placeholder);
    await measureNginx(upstream, placeholder);
    await measureFlaremesh(upstream, headers);
  } finally {
    await upstream.stop();
  }
  log("proxy bundle size (esbuild, minified)");
  results.bundle = await proxyBundleSize();
  log("route-table scaling (pure matchRoute under Node)");
  results.routeScaling.matchRoute = await routeScaling(P.routeScale);

  const c = results.configurations;
  /**
   * flaremesh's workerd CPU over the floor's, from the medians (what the targets use) and paired per round — the two
   * measured minutes apart at most — then the median: the medians may come from different rounds, and a run whose
   * machine speeds up or slows down skews their difference.
   */
  const cpuShare = (mesh, floor) => ({
    flaremeshWorkerdMsPerRequest: mesh.cpuMsPerRequest[0],
    floorWorkerdMsPerRequest: floor.cpuMsPerRequest[0],
    proxyShareMsPerRequest: round(mesh.cpuMsPerRequest[0] - floor.cpuMsPerRequest[0], 4),
    pairedProxyShareMsPerRequest: round(
      median(mesh.perRound.map((r, i) => r.cpuMsPerRequest[0] - floor.perRound[i].cpuMsPerRequest[0])),
      4,
    ),
  });
  /** flaremesh over the floor: ratios of the medians, and the rps ratio paired per round as above. */
  const overFloor = (mesh, floor) => ({
    rps: round(mesh.rps / floor.rps, 3),
    pairedRps: round(median(mesh.perRound.map((r, i) => r.rps / floor.perRound[i].rps)), 3),
    p50: round(mesh.latencyMs.p50 / floor.latencyMs.p50, 2),
    p99: round(mesh.latencyMs.p99 / floor.latencyMs.p99, 2),
    cpu: round(mesh.cpuMsPerRequest[0] / floor.cpuMsPerRequest[0], 2),
  });
  results.proxyCpu = {
    ...cpuShare(c.flaremesh, c.floor),
    controlAndShipperMsPerRequest: c.flaremesh.cpuMsPerRequest[1],
    raw: cpuShare(c.flaremeshRaw, c.floorRaw),
    note:
      "workerd process CPU (utime+stime from /proc) over the measured run ÷ requests. The floor's workerd does the same " +
      "HTTP in/out and upstream fetch, so flaremesh − floor is the proxy's own work per request. paired…: the median " +
      "of the per-round differences (the floor and flaremesh of one round are measured back to back).",
  };
  const overNaive = (mesh, naive) => ({
    rps: round(mesh.rps / naive.rps, 2),
    p99: round(mesh.latencyMs.p99 / naive.latencyMs.p99, 2),
  });
  results.ratios = {
    flaremeshOverFloor: overFloor(c.flaremesh, c.floor),
    // The header floor over the floor: what the runtime calls of flaremesh's header edits cost by themselves, i.e.
    // the most any proxy making them can reach; flaremesh over the header floor: what its own logic costs.
    headerFloorOverFloor: overFloor(c.headerFloor, c.floor),
    flaremeshOverHeaderFloor: overFloor(c.flaremesh, c.headerFloor),
    flaremeshOverNaive: overNaive(c.flaremesh, c.naive),
    flaremeshOverNaiveRemote: overNaive(c.flaremesh, c.naiveRemote),
    // In workerd alone: what the runtime itself costs, without the ~0.4 ms per request of Miniflare's shims that
    // the floor above also pays (docs/benchmarks.md, "Miniflare's shims").
    raw: {
      flaremeshOverFloor: overFloor(c.flaremeshRaw, c.floorRaw),
      headerFloorOverFloor: overFloor(c.headerFloorRaw, c.floorRaw),
      flaremeshOverHeaderFloor: overFloor(c.flaremeshRaw, c.headerFloorRaw),
      flaremeshOverNaive: overNaive(c.flaremeshRaw, c.naiveRaw),
    },
  };
  results.meta.finishedAt = new Date().toISOString();
  results.meta.loadAverageEnd = machineInfo().loadAverageStart;
  results.targets = evaluateTargets(results);
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  log(`wrote ${outFile}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
