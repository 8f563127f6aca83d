// The workerd process's resident memory, sampled from /proc once a second, and the trend fitted through it.
import { readFileSync } from "node:fs";
import { descendants } from "../helpers/processes";

/** The workerd processes below this test process (Miniflare runs one per mesh). */
export async function workerdPids(): Promise<number[]> {
  const pids = await descendants(process.pid);
  return pids.filter((pid) => {
    try {
      return /workerd/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    } catch {
      return false;
    }
  });
}

/** The workerd process a mesh started: the one that was not there before `start` ran. */
export async function newWorkerd(before: readonly number[]): Promise<number> {
  const after = (await workerdPids()).filter((pid) => !before.includes(pid));
  if (after.length !== 1) throw new Error(`expected one new workerd process, found ${JSON.stringify(after)}`);
  return after[0]!;
}

/** Resident set size in MiB, or NaN when the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface MemorySampler {
  /** `[seconds since start, MiB]`, one per second. */
  samples: [number, number][];
  stop(): void;
}

export function sampleMemory(pid: number, everyMs = 1000): MemorySampler {
  const start = performance.now();
  const samples: [number, number][] = [];
  const take = () => {
    const mib = rssMiB(pid);
    if (Number.isFinite(mib)) samples.push([(performance.now() - start) / 1000, mib]);
  };
  take();
  const timer = setInterval(take, everyMs);
  return { samples, stop: () => clearInterval(timer) };
}

/** Least-squares slope (MiB per second) of the samples taken at or after `fromSecond`. */
export function slope(samples: readonly [number, number][], fromSecond = 0): number {
  const points = samples.filter(([t]) => t >= fromSecond);
  if (points.length < 3) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
