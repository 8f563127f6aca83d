// Per-request state the resilience stages share (deadline, tried endpoints), and the response-flag helper.
import type { ProxyContext } from "../context";

export interface RequestResilience {
  /** Absolute request deadline (epoch ms), or null without a request timeout. */
  deadlineMs: number | null;
  /** Aborted (reason: a TimeoutReason) when the request deadline passes; null without a request timeout. */
  requestSignal: AbortSignal | null;
  /** Endpoint ids already tried for this request: a retry prefers the others. */
  tried: Set<string>;
}

/** The reason a timeout aborts an upstream try with; `cause` says which timer fired. */
export class TimeoutReason extends Error {
  constructor(override readonly cause: "per-try" | "request") {
    super(`${cause} timeout`);
    this.name = "TimeoutError";
  }
}

export function resilienceOf(ctx: ProxyContext): RequestResilience {
  ctx.resilience ??= { deadlineMs: null, requestSignal: null, tried: new Set() };
  return ctx.resilience;
}

/** Adds an Envoy response flag once (the access log prints them comma-joined). */
export function addFlag(ctx: ProxyContext, flag: string): void {
  if (!ctx.responseFlags.includes(flag)) ctx.responseFlags.push(flag);
}

/** Waits `ms`; rejects with the signal's reason if it is aborted first. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
