// What the numbers were measured on: machine, load, and the versions of everything in the path.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";

const require = createRequire(join(ROOT, "package.json"));
function version(pkg) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
  } catch {
    return null;
  }
}

function cpuModel() {
  const m = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"));
  return m ? m[1].trim() : (os.cpus()[0]?.model ?? "unknown");
}

export function machineInfo() {
  const load = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return {
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    loadAverageStart: load,
    shared: load[0] > os.cpus().length * 0.5,
    versions: {
      node: process.version,
      workerd: version("workerd"),
      miniflare: version("miniflare"),
      wrangler: version("wrangler"),
      autocannon: version("autocannon"),
      esbuild: version("esbuild"),
    },
  };
}

export function nginxPath() {
  try {
    return execFileSync("which", ["nginx"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}
