// Flushes an isolate's metrics registry to the control plane in the background: batched, at most once per interval.
import { releaseRpcResult } from "../../../../shared/dispose";
import { ackDelta, takeDelta, type MetricsDelta, type MetricsRegistry } from "../../../../shared/telemetry/index";

/** What the control plane answers to a delta; both answers mean "stored", so the delta is acknowledged. */
export type MetricsReportAnswer = { result: "applied" | "duplicate" };
export type SendDelta = (delta: MetricsDelta) => Promise<MetricsReportAnswer>;

const SEND_TIMEOUT_MS = 5_000;
/** Rounds one background flush may run while traffic keeps adding samples (then the next request starts one). */
const MAX_ROUNDS = 5;

function hasSamples(registry: MetricsRegistry): boolean {
  return registry.counters.size + registry.histograms.size > 0;
}

/**
 * One per isolate. `schedule` is called per request and costs nothing when a flush is already scheduled;
 * the flush itself runs in `waitUntil`, never on the request path. A delta the control plane did not
 * acknowledge stays pending and is re-sent as is (same seq), so a lost answer never double-counts.
 */
export class MetricsFlusher {
  private scheduled = false;
  private lastFlushAt = 0;
  private failing = false;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly intervalMs = 1_000,
  ) {}

  /** `beforeCut` refreshes gauges (config revision, lag) right before a delta is cut. Per request. */
  schedule(exec: Pick<ExecutionContext, "waitUntil">, send: SendDelta, beforeCut?: () => void): void {
    if (this.scheduled) return;
    this.scheduled = true;
    exec.waitUntil(
      this.run(send, beforeCut).finally(() => {
        this.scheduled = false;
      }),
    );
  }

  private async run(send: SendDelta, beforeCut?: () => void): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const wait = this.lastFlushAt + this.intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastFlushAt = Date.now();
      if (hasSamples(this.registry)) beforeCut?.();
      const delta = takeDelta(this.registry, Date.now());
      if (delta === null) return;
      try {
        // The answer is an RPC result: released once it has arrived (workerd warns about undisposed ones).
        releaseRpcResult(await withTimeout(send(delta), SEND_TIMEOUT_MS));
        ackDelta(this.registry, delta.seq);
        this.failing = false;
      } catch (err) {
        // Once per outage, not once per second.
        if (!this.failing) {
          console.warn("flaremesh: metrics flush failed, will retry:", err instanceof Error ? err.message : err);
        }
        this.failing = true;
      }
      if (this.registry.pending === null && !hasSamples(this.registry)) return;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== null) clearTimeout(timer);
  });
}
