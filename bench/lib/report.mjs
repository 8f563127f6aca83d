// The issue's targets checked against a results object, and the table `npm run bench` prints.

/** Each target of issue 8 with the measured value and whether it is met (null when not measured). */
export function evaluateTargets(r) {
  const c = r.configurations;
  const scale = r.routeScaling?.matchRoute?.ratioLargestToSmallest ?? {};
  const cold = r.coldStart?.flaremesh?.firstResponseMs?.p50;
  // From the apply request to the proxy serving it (older results have only the time after the apply's answer).
  const served = (p) => (p?.applyStartToServedMs ?? p?.applyToServedMs)?.p99;
  const propagation = [served(r.propagation?.small), served(r.propagation?.large)];
  const check = (name, target, value, met) => ({
    name,
    target,
    value,
    met: value === null || value === undefined ? null : met,
  });
  return [
    check(
      "throughput vs floor",
      "≥ 0.85× floor rps",
      r.ratios?.flaremeshOverFloor.rps,
      r.ratios?.flaremeshOverFloor.rps >= 0.85,
    ),
    check(
      "p99 vs floor",
      "≤ 1.3× floor p99",
      r.ratios?.flaremeshOverFloor.p99,
      r.ratios?.flaremeshOverFloor.p99 <= 1.3,
    ),
    check(
      "throughput vs floor, in workerd alone",
      "≥ 0.85× floor rps (without Miniflare's shims, as the runtime runs in production)",
      r.ratios?.raw?.flaremeshOverFloor.rps,
      r.ratios?.raw?.flaremeshOverFloor.rps >= 0.85,
    ),
    check(
      "p99 vs floor, in workerd alone",
      "≤ 1.3× floor p99",
      r.ratios?.raw?.flaremeshOverFloor.p99,
      r.ratios?.raw?.flaremeshOverFloor.p99 <= 1.3,
    ),
    check(
      "throughput vs naive",
      "≥ 3× naive rps",
      r.ratios?.flaremeshOverNaive.rps,
      r.ratios?.flaremeshOverNaive.rps >= 3,
    ),
    check(
      "throughput vs naive, its Durable Object in another process",
      "≥ 3× naive rps (informative: how a deployed naive proxy reaches its object)",
      r.ratios?.flaremeshOverNaiveRemote?.rps,
      r.ratios?.flaremeshOverNaiveRemote?.rps >= 3,
    ),
    check(
      "proxy CPU per request",
      "≤ 0.3 ms (flaremesh − floor workerd CPU)",
      r.proxyCpu?.proxyShareMsPerRequest,
      r.proxyCpu?.proxyShareMsPerRequest <= 0.3,
    ),
    check(
      "proxy CPU per request, in workerd alone",
      "≤ 0.3 ms (flaremesh − floor workerd CPU)",
      r.proxyCpu?.raw?.proxyShareMsPerRequest,
      r.proxyCpu?.raw?.proxyShareMsPerRequest <= 0.3,
    ),
    check(
      "routing cost 10,000 vs 10 routes",
      "≤ 2× (matchRoute, mixed routes with regexes, Zipf traffic)",
      scale["regex/zipf"],
      scale["regex/zipf"] <= 2,
    ),
    check(
      "config propagation p99",
      "≤ 1000 ms from the apply request (small mesh, and with the large mesh)",
      Math.max(...propagation.filter((x) => x !== undefined && x !== null)),
      propagation.every((x) => x !== null && x !== undefined && x <= 1000),
    ),
    check(
      "Durable Object requests on the hot path",
      "0 (control calls beyond the time-driven background polls)",
      r.hotPath?.flaremesh?.durableObjectRequestsOnHotPath,
      r.hotPath?.flaremesh?.durableObjectRequestsOnHotPath === 0,
    ),
    check(
      "proxy bundle (minified)",
      "≤ 1 MiB",
      r.bundle?.minifiedBytes,
      r.bundle?.minifiedBytes <= r.bundle?.limitBytes,
    ),
    check("cold start (fresh isolate → first proxied response)", "≤ 50 ms", cold, cold <= 50),
    check("all flaremesh responses 200", "non-2xx = 0", c.flaremesh?.non2xx, c.flaremesh?.non2xx === 0),
  ];
}

const pad = (s, n) => String(s ?? "—").padEnd(n);
const lpad = (s, n) => String(s ?? "—").padStart(n);

/** ` (paired per round X)` when the run has the figure (results of older runs do not). */
function paired(value, unit = "") {
  return value === undefined ? "" : ` (paired per round ${value}${unit})`;
}

export function printTable(r) {
  const out = [];
  const m = r.meta;
  out.push(
    `flaremesh benchmark (${r.profile}) — ${m.cpuModel}, ${m.cores} cores, node ${m.versions.node}, workerd ${m.versions.workerd}, ` +
      `wrangler ${m.versions.wrangler}, ${m.startedAt}${m.shared ? ` — machine shared (load ${m.loadAverageStart[0]})` : ""}`,
  );
  out.push(
    `${r.settings.connections} connections, ${r.settings.warmupS} s warm-up excluded, ${r.settings.durationS} s measured`,
  );
  out.push("");
  out.push(
    `${pad("configuration", 14)}${lpad("req/s", 9)}${lpad("p50 ms", 9)}${lpad("p99 ms", 9)}${lpad("p99.9 ms", 10)}` +
      `${lpad("CPU ms/req", 12)}${lpad("RSS MiB", 9)}${lpad("non-2xx", 9)}`,
  );
  for (const [name, c] of Object.entries(r.configurations)) {
    if (c.skipped) {
      out.push(`${pad(name, 14)}  skipped: ${c.skipped}`);
      continue;
    }
    const workerd = name !== "direct";
    out.push(
      `${pad(name, 14)}${lpad(c.rps, 9)}${lpad(c.latencyMs.p50, 9)}${lpad(c.latencyMs.p99, 9)}${lpad(c.latencyMs.p999, 10)}` +
        `${lpad(workerd ? c.cpuMsPerRequest[0] : "—", 12)}${lpad(workerd ? c.rssMiB[0] : "—", 9)}${lpad(c.non2xx, 9)}`,
    );
  }
  out.push(
    "(CPU and RSS: the configuration's workerd process; flaremesh: the proxy's workerd; nginx: its one worker. " +
      "…Raw: the same Worker in workerd alone, without Miniflare's entry and outbound Workers.)",
  );
  out.push("");
  const ratios = r.ratios;
  out.push(
    `flaremesh/floor: rps ${ratios.flaremeshOverFloor.rps}${paired(ratios.flaremeshOverFloor.pairedRps)}, p99 ${ratios.flaremeshOverFloor.p99}, CPU ${ratios.flaremeshOverFloor.cpu}` +
      `   flaremesh/naive: rps ${ratios.flaremeshOverNaive.rps}, p99 ${ratios.flaremeshOverNaive.p99}` +
      (ratios.flaremeshOverNaiveRemote
        ? `   flaremesh/naive (remote object): rps ${ratios.flaremeshOverNaiveRemote.rps}, p99 ${ratios.flaremeshOverNaiveRemote.p99}`
        : ""),
  );
  if (ratios.raw)
    out.push(
      `in workerd alone: flaremesh/floor rps ${ratios.raw.flaremeshOverFloor.rps}${paired(ratios.raw.flaremeshOverFloor.pairedRps)}, p99 ${ratios.raw.flaremeshOverFloor.p99}, ` +
        `CPU ${ratios.raw.flaremeshOverFloor.cpu}   flaremesh/naive rps ${ratios.raw.flaremeshOverNaive.rps}, p99 ${ratios.raw.flaremeshOverNaive.p99}`,
    );
  if (ratios.headerFloorOverFloor) {
    const line = (x) =>
      `header floor/floor rps ${x.headerFloorOverFloor.rps}${paired(x.headerFloorOverFloor.pairedRps)}, p99 ${x.headerFloorOverFloor.p99}, CPU ${x.headerFloorOverFloor.cpu}; ` +
      `flaremesh/header floor rps ${x.flaremeshOverHeaderFloor.rps}${paired(x.flaremeshOverHeaderFloor.pairedRps)}`;
    out.push(
      `the floor plus flaremesh's header edits, no logic (the most a proxy making them can reach): ${line(ratios)}` +
        (ratios.raw?.headerFloorOverFloor ? `; in workerd alone ${line(ratios.raw)}` : ""),
    );
  }
  out.push(
    `proxy CPU per request: ${r.proxyCpu.flaremeshWorkerdMsPerRequest} ms (workerd) − ${r.proxyCpu.floorWorkerdMsPerRequest} ms (floor) = ` +
      `${r.proxyCpu.proxyShareMsPerRequest} ms${paired(r.proxyCpu.pairedProxyShareMsPerRequest, " ms")}; control plane + shipper: ${r.proxyCpu.controlAndShipperMsPerRequest} ms` +
      (r.proxyCpu.raw
        ? `; in workerd alone ${r.proxyCpu.raw.flaremeshWorkerdMsPerRequest} − ${r.proxyCpu.raw.floorWorkerdMsPerRequest} = ${r.proxyCpu.raw.proxyShareMsPerRequest} ms${paired(r.proxyCpu.raw.pairedProxyShareMsPerRequest, " ms")}`
        : ""),
  );
  const hp = r.hotPath;
  out.push(
    `control-plane calls from the proxy: ${JSON.stringify(hp.flaremesh.controlCalls)} over ${hp.flaremesh.requests} requests ` +
      `(${hp.flaremesh.controlCallsPerSecond}/s, background budget ${hp.flaremesh.backgroundBudget}, on the hot path ${hp.flaremesh.durableObjectRequestsOnHotPath}); ` +
      `naive: ${hp.naive.perRequest} Durable Object calls/request` +
      (hp.naiveRemote
        ? `; naive with a remote object: ${hp.naiveRemote.perRequest} calls/request, the object ${hp.naiveRemote.objectHostCpuMsPerRequest} ms CPU each → the whole mesh ≤ ${hp.naiveRemote.meshCeilingRps} req/s`
        : ""),
  );
  const e2e = r.routeScaling.endToEnd;
  out.push(
    `end-to-end by route count: ${Object.entries(e2e)
      .map(([n, x]) => `${n} routes ${x.rps} req/s p99 ${x.latencyMs.p99} ms`)
      .join("; ")}`,
  );
  const rows = r.routeScaling.matchRoute.rows;
  const sizes = r.routeScaling.matchRoute.sizes;
  for (const mix of ["indexed", "regex"])
    for (const dist of ["zipf", "uniform"]) {
      const cells = sizes.map(
        (n) => `${n}: ${rows.find((x) => x.mix === mix && x.distribution === dist && x.routes === n).nsPerLookup} ns`,
      );
      out.push(
        `matchRoute ${pad(`${mix}/${dist}`, 16)} ${cells.join("  ")}  (×${r.routeScaling.matchRoute.ratioLargestToSmallest[`${mix}/${dist}`]})`,
      );
    }
  const p = r.propagation;
  const both = (x) =>
    `p50 ${x.applyStartToServedMs?.p50} ms p99 ${x.applyStartToServedMs?.p99} ms from the request ` +
    `(after its answer p50 ${x.applyToServedMs.p50} ms p99 ${x.applyToServedMs.p99} ms; n=${x.applyToServedMs.n})`;
  out.push(
    `propagation apply→served: small ${both(p.small)}; ${p.large.services} services / ${p.large.routes} routes ${both(p.large)}`,
  );
  const cp = r.controlPlane;
  out.push(
    `control plane: ${cp.services} services / ${cp.routes} routes applied in ${cp.batches} batches, ${cp.applyAllMs} ms total ` +
      `(batch p50 ${cp.applyBatchMs.p50} ms, last ${cp.lastBatchMs} ms); one-resource apply at that size p50 ${cp.singleChangeApplyMsAtSize.p50} ms; ` +
      (cp.targetedPolicyApplyMs
        ? `a policy apply p50 ${cp.targetedPolicyApplyMs.p50} ms for one Service (targetRef), ` +
          `${cp.selectorPolicyApplyMs?.p50 ?? "—"} ms by selector, ${cp.namespacePolicyApplyMs.p50} ms namespace-wide; `
        : "") +
      (cp.meshConfigApplyMs
        ? `a MeshConfig apply p50 ${cp.meshConfigApplyMs.p50} ms, served by the proxy p50 ${cp.meshConfigApplyStartToServedMs.p50} ms ` +
          `p99 ${cp.meshConfigApplyStartToServedMs.p99} ms from the apply request; `
        : "") +
      (cp.mtlsModeApplyMs
        ? `its default mTLS mode switched: apply p50 ${cp.mtlsModeApplyMs.p50} ms, served p50 ${cp.mtlsModeApplyStartToServedMs.p50} ms ` +
          `p99 ${cp.mtlsModeApplyStartToServedMs.p99} ms; `
        : "") +
      `snapshot ${cp.snapshotBytes} bytes (${cp.meshServicesInSnapshot ?? "?"} services, ${cp.meshRoutesInSnapshot ?? "?"} routes in it)` +
      (cp.proxyAnswers
        ? `; the proxy received ${cp.proxyAnswers.whole} whole snapshot(s) and ${cp.proxyAnswers.delta} deltas (last ${cp.proxyAnswers.lastDeltaBytes} bytes)`
        : ""),
  );
  const cs = r.coldStart;
  out.push(
    `cold start: proxy first response p50 ${cs.flaremesh.firstResponseMs.p50} ms (workerd ready ${cs.flaremesh.workerdReadyMs.p50} ms); ` +
      (cs.flaremeshRaw
        ? `in workerd alone ${cs.flaremeshRaw.firstResponseMs.p50} ms (ready ${cs.flaremeshRaw.workerdReadyMs.p50} ms); `
        : "") +
      `floor first response ${cs.floor.firstResponseMs} ms`,
  );
  out.push(
    `proxy bundle: ${r.bundle.minifiedBytes} bytes minified (${r.bundle.gzipBytes} gzip), limit ${r.bundle.limitBytes}`,
  );
  out.push(
    `telemetry delivered to the http-json sink during the load: ${r.telemetry.receiverItems} items in ${r.telemetry.receiverPosts} posts`,
  );
  out.push("");
  out.push("targets:");
  for (const t of r.targets) {
    const mark = t.met === null ? "n/a " : t.met ? "MET " : "MISS";
    out.push(`  ${mark} ${pad(t.name, 52)} ${pad(t.target, 60)} ${t.value ?? "—"}`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
}
