// `npx node bench/control-plane.mjs [services] [applies]`: the control plane at size, alone — `services` Services
// with 10 HTTPRoute rules each (default 1,000) applied in batches, then `applies` one-document applies (default 20),
// each timed and followed until the proxy serves it, then policy applies (one Service's, by selector, namespace-wide),
// then MeshConfig applies (the default mTLS mode, then trace propagation) followed until the proxy serves them. The
// benchmark's control-plane phase without the rest, for before/after comparisons of control-plane changes. Loads
// target 127.0.0.1 only.
import { largeMesh } from "./lib/config.mjs";
import { applyJson, meshConfigPropagation, policyApplies, propagation, summary } from "./lib/control-plane.mjs";
import { round } from "./lib/load.mjs";
import { startUpstream } from "./lib/upstream.mjs";
import { startControl, startProxy } from "./lib/workerd.mjs";

const services = Number(process.argv[2] ?? 1000);
const applies = Number(process.argv[3] ?? 20);
const upstream = await startUpstream();
const control = await startControl();
const proxy = await startProxy(control.port);
try {
  const batches = largeMesh({ upstreamUrl: upstream.url, count: services, routesPerService: 10 });
  const batchMs = [];
  for (const docs of batches) batchMs.push((await applyJson(control, docs)).ms);
  const single = await propagation(control, proxy, upstream.url, applies, "cp");
  const policies = await policyApplies(control, { target: "m0", count: Math.max(1, Math.round(applies / 2)) });
  const mtlsMode = await meshConfigPropagation(control, proxy, Math.max(2, Math.round(applies / 2)), "mtls");
  const meshConfig = await meshConfigPropagation(control, proxy, Math.max(2, Math.round(applies / 2)));
  const counts = await proxy.bridgeCounts();
  console.log(
    JSON.stringify(
      {
        services,
        routes: services * 10,
        applyBatchMs: summary(batchMs),
        applyAllMs: round(
          batchMs.reduce((s, ms) => s + ms, 0),
          0,
        ),
        singleChangeApplyMs: single.applyMs,
        applyToServedMs: single.applyToServedMs,
        applyStartToServedMs: single.applyStartToServedMs,
        timeouts: single.timeouts,
        ...policies,
        ...meshConfig,
        ...mtlsMode,
        snapshotBytes: await control.wholeSnapshotBytes(),
        // What the proxy received per revision: whole snapshots (its first) and deltas (the changed services).
        proxyAnswers: counts.answers,
      },
      null,
      2,
    ),
  );
} finally {
  await proxy.stop();
  await control.stop();
  await upstream.stop();
}
