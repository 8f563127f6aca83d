// Process accounting from /proc (Linux): CPU seconds (utime + stime) and resident memory of a pid, and the workerd
// processes this benchmark started.
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

let ticks = null;
function clockTicks() {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which may itself contain spaces and parentheses.
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU time (user + system) the process has used so far, in seconds. */
export function cpuSeconds(pid) {
  const f = statFields(pid);
  // After `comm`: state is index 0, so utime (field 14) is index 11 and stime (field 15) index 12.
  return (Number(f[11]) + Number(f[12])) / clockTicks();
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Pids of the live descendants of `root` whose command line contains `needle`. */
export function descendantsMatching(root, needle) {
  const parent = new Map();
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const f = statFields(p);
      if (f[0] !== "Z") parent.set(Number(p), Number(f[1]));
    } catch {
      /* ended meanwhile */
    }
  }
  const out = [];
  const walk = (pid) => {
    for (const [child, pp] of parent) {
      if (pp !== pid) continue;
      try {
        if (readFileSync(`/proc/${child}/cmdline`, "utf8").includes(needle)) out.push(child);
      } catch {
        /* ended */
      }
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Runs `start` and returns its result with the pid of the one workerd it started. */
export async function withNewWorkerd(start) {
  const before = new Set(descendantsMatching(process.pid, "workerd"));
  const value = await start();
  const fresh = descendantsMatching(process.pid, "workerd").filter((p) => !before.has(p));
  if (fresh.length !== 1) throw new Error(`expected one new workerd process, found ${fresh.length}`);
  return { value, pid: fresh[0] };
}
