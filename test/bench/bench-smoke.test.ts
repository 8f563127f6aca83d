// The benchmark harness cannot rot: `bench/run.mjs --tiny` runs every configuration for about a second and
// writes results.json in the documented shape. No assertion on speed — only that every number was produced.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";

interface LoadResult {
  requests: number;
  rps: number;
  latencyMs: { p50: number; p99: number; p999: number };
  cpuMsPerRequest: number[];
  rssMiB: number[];
  non2xx: number;
}

const isNumber = (x: unknown) => typeof x === "number" && Number.isFinite(x);
const nginxInstalled = () => {
  try {
    execFileSync("which", ["nginx"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

describe("npm run bench -- --tiny", () => {
  it("measures every configuration and writes results.json", { timeout: 240_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), "flaremesh-bench-smoke-")), "results.json");
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(ROOT, "bench/run.mjs"), "--tiny", "--out", out],
        { cwd: ROOT, timeout: 220_000, maxBuffer: 8 << 20 },
        (err, so, se) => (err ? reject(new Error(`${err.message}\n${se}`)) : resolve(so)),
      ),
    );
    expect(stdout).toContain("targets:");
    const r = JSON.parse(readFileSync(out, "utf8"));

    expect(r.profile).toBe("tiny");
    expect(r.meta.versions.workerd).toMatch(/^\d/);
    expect(isNumber(r.meta.cores)).toBe(true);
    // …Raw: the same Workers in workerd alone, without Miniflare's entry and outbound Workers.
    for (const name of [
      "direct",
      "floor",
      "headerFloor",
      "naive",
      "naiveRemote",
      "flaremesh",
      "floorRaw",
      "headerFloorRaw",
      "naiveRaw",
      "flaremeshRaw",
    ]) {
      const c = r.configurations[name] as LoadResult;
      expect(c.requests, name).toBeGreaterThan(0);
      for (const x of [c.rps, c.latencyMs.p50, c.latencyMs.p99, c.latencyMs.p999]) expect(isNumber(x), name).toBe(true);
      expect(c.non2xx, name).toBe(0);
      if (name !== "direct") {
        // Side by side in rounds (one round in --tiny); each round kept in the results.
        expect((c as LoadResult & { perRound: unknown[] }).perRound, name).toHaveLength(r.settings.rounds);
        expect(isNumber(c.cpuMsPerRequest[0]), name).toBe(true);
        expect(isNumber(c.rssMiB[0]), name).toBe(true);
      }
    }
    // nginx is measured wherever it is installed (CI installs nginx-light), and says why when it is not.
    const nginx = r.configurations.nginx;
    if (nginxInstalled()) {
      expect(nginx.non2xx).toBe(0);
      expect(nginx.requests).toBeGreaterThan(0);
      expect(isNumber(nginx.cpuMsPerRequest[0])).toBe(true);
    } else expect(nginx.skipped).toMatch(/not installed/);

    expect(isNumber(r.ratios.flaremeshOverFloor.rps)).toBe(true);
    expect(isNumber(r.ratios.flaremeshOverNaive.rps)).toBe(true);
    expect(isNumber(r.proxyCpu.proxyShareMsPerRequest)).toBe(true);
    // The floor plus flaremesh's header edits: the most a proxy making them can reach, and flaremesh over it.
    for (const ratios of [r.ratios, r.ratios.raw]) {
      expect(isNumber(ratios.headerFloorOverFloor.rps)).toBe(true);
      expect(isNumber(ratios.flaremeshOverHeaderFloor.rps)).toBe(true);
    }
    expect(isNumber(r.ratios.raw.flaremeshOverFloor.rps)).toBe(true);
    expect(isNumber(r.ratios.raw.flaremeshOverNaive.rps)).toBe(true);
    expect(isNumber(r.proxyCpu.raw.proxyShareMsPerRequest)).toBe(true);
    // Paired per round, then the median: with the one round of --tiny, the same as the figures from the medians.
    expect(r.settings.rounds).toBe(1);
    expect(r.proxyCpu.pairedProxyShareMsPerRequest).toBe(r.proxyCpu.proxyShareMsPerRequest);
    expect(r.proxyCpu.raw.pairedProxyShareMsPerRequest).toBe(r.proxyCpu.raw.proxyShareMsPerRequest);
    expect(r.ratios.flaremeshOverFloor.pairedRps).toBe(r.ratios.flaremeshOverFloor.rps);
    expect(r.ratios.raw.flaremeshOverFloor.pairedRps).toBe(r.ratios.raw.flaremeshOverFloor.rps);
    expect(r.hotPath.flaremesh.durableObjectRequestsOnHotPath).toBe(0);
    expect(isNumber(r.hotPath.flaremesh.controlCallsPerRequest)).toBe(true);
    expect(r.hotPath.naive.perRequest).toBeGreaterThan(0);
    // With its object in another workerd, the naive proxy still asks it once per request, over loopback HTTP.
    expect(r.hotPath.naiveRemote.perRequest).toBeGreaterThan(0);
    expect(isNumber(r.hotPath.naiveRemote.objectHostCpuMsPerRequest)).toBe(true);
    expect(isNumber(r.ratios.flaremeshOverNaiveRemote.rps)).toBe(true);

    expect(r.routeScaling.matchRoute.rows).toHaveLength(12);
    for (const row of r.routeScaling.matchRoute.rows) expect(isNumber(row.nsPerLookup)).toBe(true);
    expect(Object.keys(r.routeScaling.endToEnd)).toHaveLength(2);
    for (const size of ["small", "large"]) {
      expect(r.propagation[size].timeouts, size).toBe(0);
      expect(isNumber(r.propagation[size].applyToServedMs.p99), size).toBe(true);
      // From the request: the apply's own time plus the wait after its answer, so never less than the wait.
      const fromRequest = r.propagation[size].applyStartToServedMs;
      expect(fromRequest.n, size).toBe(r.propagation[size].applyMs.n);
      expect(fromRequest.p50, size).toBeGreaterThanOrEqual(r.propagation[size].applyToServedMs.p50);
      expect(fromRequest.p99, size).toBeGreaterThanOrEqual(r.propagation[size].applyToServedMs.p99);
    }
    expect(isNumber(r.controlPlane.applyAllMs)).toBe(true);
    expect(r.controlPlane.snapshotBytes).toBeGreaterThan(0);
    // MeshConfig applies reached the proxy (the probe's upstream saw B3 switched off, then on).
    expect(r.controlPlane.meshConfigApplyMs.n).toBe(2);
    expect(r.controlPlane.meshConfigTimeouts).toBe(0);
    expect(r.controlPlane.meshConfigApplyStartToServedMs.p50).toBeGreaterThanOrEqual(
      r.controlPlane.meshConfigApplyMs.p50,
    );
    // So did switches of its default mTLS mode (the probe answered 401 under STRICT, 200 under PERMISSIVE).
    expect(r.controlPlane.mtlsModeApplyMs.n).toBe(2);
    expect(r.controlPlane.mtlsModeTimeouts).toBe(0);
    expect(r.controlPlane.mtlsModeApplyStartToServedMs.p50).toBeGreaterThanOrEqual(r.controlPlane.mtlsModeApplyMs.p50);
    // After its first load, the proxy received each new revision as a delta (the changed services only).
    expect(r.controlPlane.proxyAnswers.delta).toBeGreaterThan(0);
    expect(r.controlPlane.proxyAnswers.lastDeltaBytes).toBeLessThan(r.controlPlane.snapshotBytes);
    expect(isNumber(r.coldStart.flaremesh.firstResponseMs.p50)).toBe(true);
    expect(isNumber(r.coldStart.flaremeshRaw.firstResponseMs.p50)).toBe(true);
    expect(r.bundle.minifiedBytes).toBeGreaterThan(0);
    expect(r.targets).toHaveLength(14);
    for (const t of r.targets) expect(typeof t.name).toBe("string");
  });
});

/** Runs one of the benchmark's tools and parses the JSON it prints. */
function runTool(file: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [join(ROOT, file), ...args],
      { cwd: ROOT, timeout: 200_000, maxBuffer: 8 << 20 },
      (err, so, se) => (err ? reject(new Error(`${err.message}\n${se}`)) : resolve(JSON.parse(so))),
    ),
  );
}

describe("the before/after tools", () => {
  it("bench/hot-path.mjs measures the floor and the proxy in alternation", { timeout: 240_000 }, async () => {
    const r = (await runTool("bench/hot-path.mjs", ["1", "0.5", "bare"])) as {
      floor: { rps: number; cpuMsPerRequest: number };
      flaremesh: { rps: number; cpuMsPerRequest: number };
      pairedProxyShareMsPerRequest: number;
    };
    for (const x of [r.floor.rps, r.flaremesh.rps, r.flaremesh.cpuMsPerRequest, r.pairedProxyShareMsPerRequest])
      expect(isNumber(x)).toBe(true);
  });

  it(
    "bench/control-plane.mjs applies a mesh in batches, then times single applies to served",
    { timeout: 240_000 },
    async () => {
      const r = (await runTool("bench/control-plane.mjs", ["150", "3"])) as {
        applyBatchMs: { n: number };
        singleChangeApplyMs: { n: number; p50: number };
        applyStartToServedMs: { p50: number };
        timeouts: number;
        snapshotBytes: number;
        proxyAnswers: { delta: number };
      };
      expect(r.applyBatchMs.n).toBe(2);
      expect(r.singleChangeApplyMs.n).toBe(3);
      expect(r.timeouts).toBe(0);
      expect(r.applyStartToServedMs.p50).toBeGreaterThanOrEqual(r.singleChangeApplyMs.p50);
      expect(r.snapshotBytes).toBeGreaterThan(150 * 1000);
      // The proxy's first load is whole; each later revision arrives as a delta.
      expect(r.proxyAnswers.delta).toBeGreaterThanOrEqual(2);
    },
  );

  it.each([
    ["under Miniflare", []],
    ["in workerd alone (--raw)", ["--raw"]],
  ])(
    "bench/compare-revisions.mjs builds another commit's proxy and compares it side by side, %s",
    { timeout: 240_000 },
    async (_name, flags) => {
      const r = (await runTool("bench/compare-revisions.mjs", ["HEAD", "1", "0.5", ...flags])) as {
        runtime: string;
        proxyShareMsPerRequest: Record<string, number>;
        rpsOverFloor: Record<string, number>;
      };
      expect(r.runtime).toBe(flags.length > 0 ? "workerd alone" : "Miniflare");
      const versions = Object.keys(r.rpsOverFloor);
      expect(versions).toHaveLength(2);
      expect(versions).toContain("working tree");
      for (const v of versions) {
        expect(isNumber(r.rpsOverFloor[v]), v).toBe(true);
        expect(isNumber(r.proxyShareMsPerRequest[v]), v).toBe(true);
      }
    },
  );
});
