// Circuit breaker: at most N tries in flight per destination and isolate, P more waiting in order, the rest
// refused at once with 503 circuit_open (flag UO). Slots are given back when the try's response headers arrive.
import { MeshError } from "../../../../shared/errors";
import { cancel, release, tryAcquire } from "../../../../shared/resilience/index";
import type { ProxyContext, StageFactory } from "../context";
import { countOverflow } from "../telemetry/resilience-metrics";
import { destinationFor, wake } from "./destinations";
import type { DestinationState } from "./registry";
import { addFlag, sleep } from "./request-state";

export const breaker: StageFactory = (config) =>
  async function breaker(ctx: ProxyContext, next) {
    const dest = destinationFor(config, ctx.backend!);
    const acquired = tryAcquire(dest.limiter);
    if (acquired.decision === "overflow") {
      addFlag(ctx, "UO");
      countOverflow(ctx.backend!.service.model);
      throw new MeshError("circuit_open", `${ctx.backend!.label}: too many requests in flight (circuit breaker)`);
    }
    if (acquired.decision === "queued") await waitForSlot(dest, acquired.ticket, ctx.resilience?.requestSignal);
    try {
      return await next();
    } finally {
      const ticket = release(dest.limiter);
      if (ticket !== null) wake(dest, ticket);
    }
  };

/** How often a queued request looks whether it was handed a slot. */
const QUEUE_POLL_MS = 2;

/**
 * Waits in line, polling in this request's own context. A request whose deadline passes leaves the queue
 * (the timeout stage answers 504); if it was handed a slot meanwhile, the slot goes to the next in line.
 */
async function waitForSlot(
  dest: DestinationState,
  ticket: number,
  signal: AbortSignal | null | undefined,
): Promise<void> {
  try {
    while (!dest.granted.has(ticket)) await sleep(QUEUE_POLL_MS, signal);
    dest.granted.delete(ticket);
  } catch (err) {
    if (!cancel(dest.limiter, ticket)) {
      dest.granted.delete(ticket);
      const next = release(dest.limiter);
      if (next !== null) wake(dest, next);
    }
    throw err;
  }
}
