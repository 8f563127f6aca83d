// A bounded open-loop load generator: a steady request rate for a fixed time, with a cap on requests in flight.
import type { Answer } from "./http";

export interface Sample {
  /** Seconds since the load started, when the request was sent. */
  at: number;
  ms: number;
  status: number;
  /** Why this answer counts as failed (mesh-caused), or undefined when it is fine. */
  problem?: string;
}

export interface LoadOptions {
  rps: number;
  seconds: number;
  /** Requests in flight at most; beyond it a tick is skipped (and counted), so a stall cannot pile up sockets. */
  maxInFlight?: number;
  /** Sends one request. */
  request: () => Promise<Answer>;
  /** Classifies an answer: a string names the problem; undefined means fine. */
  judge: (answer: Answer) => string | undefined;
  /** Called about once a second with the seconds elapsed (e.g. to inject faults on a schedule). */
  onSecond?: (second: number) => void | Promise<void>;
}

export interface LoadResult {
  samples: Sample[];
  skipped: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { rps, seconds, request, judge } = options;
  const maxInFlight = options.maxInFlight ?? Math.max(8, rps);
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  let skipped = 0;
  const start = performance.now();
  const total = Math.round(rps * seconds);
  let nextSecond = 0;
  for (let i = 0; i < total; i++) {
    const dueAt = start + (i * 1000) / rps;
    const wait = dueAt - performance.now();
    if (wait > 0) await sleep(wait);
    const elapsed = (performance.now() - start) / 1000;
    if (options.onSecond && elapsed >= nextSecond) {
      await options.onSecond(nextSecond);
      nextSecond++;
    }
    if (pending.size >= maxInFlight) {
      skipped++;
      continue;
    }
    const p = request().then((answer) => {
      const problem = judge(answer);
      samples.push({ at: elapsed, ms: answer.ms, status: answer.status, ...(problem ? { problem } : {}) });
    });
    const tracked = p.finally(() => pending.delete(tracked));
    pending.add(tracked);
  }
  await Promise.all(pending);
  samples.sort((a, b) => a.at - b.at);
  return { samples, skipped };
}

export interface WindowStats {
  from: number;
  to: number;
  requests: number;
  problems: number;
  p50: number;
  p99: number;
}

/** Latency percentiles and problem counts per `windowSeconds` window, for the report (never asserted on). */
export function windows(samples: readonly Sample[], windowSeconds: number): WindowStats[] {
  const out: WindowStats[] = [];
  if (samples.length === 0) return out;
  const last = samples[samples.length - 1]!.at;
  for (let from = 0; from <= last; from += windowSeconds) {
    const inWindow = samples.filter((s) => s.at >= from && s.at < from + windowSeconds);
    if (inWindow.length === 0) continue;
    const ms = inWindow.map((s) => s.ms).sort((a, b) => a - b);
    out.push({
      from,
      to: from + windowSeconds,
      requests: inWindow.length,
      problems: inWindow.filter((s) => s.problem !== undefined).length,
      p50: percentile(ms, 0.5),
      p99: percentile(ms, 0.99),
    });
  }
  return out;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function formatWindows(stats: readonly WindowStats[]): string {
  const rows = stats.map(
    (w) =>
      `  ${String(w.from).padStart(4)}-${String(w.to).padEnd(4)} s  ${String(w.requests).padStart(5)} req  ` +
      `${String(w.problems).padStart(3)} err  p50 ${w.p50.toFixed(1).padStart(7)} ms  p99 ${w.p99.toFixed(1).padStart(7)} ms`,
  );
  return rows.join("\n");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
