// MetricsShard: one Durable Object per shard of the mesh's metrics; merges proxy deltas exactly once, keeps a live window.
import { DurableObject } from "cloudflare:workers";
import {
  createAggregate,
  mergeDelta,
  pruneAggregate,
  type MetricsAggregate,
  type MetricsDelta,
} from "../../../shared/telemetry/index";
import type { ControlEnv } from "../env";

/** Deltas kept in memory for the live topology (rates, latencies of the last minute or so). */
const RECENT_WINDOW_MS = 10 * 60_000;
const RECENT_MAX = 5_000;
/** Sources and gauges unheard of for this long are forgotten; counters are kept forever. */
const SOURCE_TTL_MS = 60 * 60_000;
const PRUNE_EVERY_MS = 60_000;
const STORAGE_KEY = "aggregate";

/**
 * Storage schema: one key in the object's SQLite-backed KV, `aggregate` = a `MetricsAggregate` (plain JSON:
 * totals since the shard was created, last seq per source). Written once per accepted flush — a flush is
 * one isolate's batch of at most a second of traffic, never one request.
 */
export class MetricsShard extends DurableObject<ControlEnv> {
  private aggregate: MetricsAggregate;
  private recent: MetricsDelta[] = [];
  private lastPruneMs = 0;

  constructor(ctx: DurableObjectState, env: ControlEnv) {
    super(ctx, env);
    this.aggregate = ctx.storage.kv.get<MetricsAggregate>(STORAGE_KEY) ?? createAggregate();
  }

  /** Merges a validated delta; "duplicate" for a retried flush already applied. */
  merge(delta: MetricsDelta): { result: "applied" | "duplicate" } {
    const now = Date.now();
    const result = mergeDelta(this.aggregate, delta, now);
    if (result === "applied") {
      // Stamped with arrival time: the live window must not depend on every isolate's clock.
      this.recent.push({ ...delta, timeMs: now });
      this.trimRecent(now);
    }
    if (now - this.lastPruneMs > PRUNE_EVERY_MS) {
      this.lastPruneMs = now;
      pruneAggregate(this.aggregate, now, SOURCE_TTL_MS);
    }
    this.ctx.storage.kv.put(STORAGE_KEY, this.aggregate);
    return { result };
  }

  /** The shard's totals, for `/metrics`. */
  totals(): MetricsAggregate {
    return this.aggregate;
  }

  /** Deltas received in the last `windowMs` (their `timeMs` is the arrival time). */
  recentDeltas(windowMs: number): MetricsDelta[] {
    const since = Date.now() - Math.min(windowMs, RECENT_WINDOW_MS);
    return this.recent.filter((d) => d.timeMs > since);
  }

  private trimRecent(now: number): void {
    const since = now - RECENT_WINDOW_MS;
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]!.timeMs <= since) drop++;
    if (this.recent.length - drop > RECENT_MAX) drop = this.recent.length - RECENT_MAX;
    if (drop > 0) this.recent.splice(0, drop);
  }
}
