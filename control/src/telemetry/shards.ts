// Which MetricsShard a metrics source reports to, and all shards for a scrape.
import { MeshError } from "../../../shared/errors";
import { parseMetricsDelta, type MetricsAggregate, type MetricsDelta } from "../../../shared/telemetry/index";
import type { ControlEnv } from "../env";
import type { MetricsShard } from "./metrics-shard";

export const DEFAULT_SHARD_COUNT = 4;
const MAX_SHARD_COUNT = 64;

export function shardCount(env: Pick<ControlEnv, "MESH_METRICS_SHARDS">): number {
  const n = Number(env.MESH_METRICS_SHARDS);
  return Number.isInteger(n) && n >= 1 && n <= MAX_SHARD_COUNT ? n : DEFAULT_SHARD_COUNT;
}

/** FNV-1a: a stable spread of sources over shards (a source always reports to the same shard, so seqs dedupe). */
export function shardIndex(source: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) {
    h ^= source.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

function namespace(env: ControlEnv): DurableObjectNamespace<MetricsShard> {
  if (env.METRICS_SHARDS === undefined) {
    throw new MeshError("internal", "the control Worker has no METRICS_SHARDS Durable Object binding");
  }
  return env.METRICS_SHARDS;
}

/** Validates a delta from a proxy or shipper and merges it into its shard. Per flush (≤ 1/s per isolate). */
export async function reportDelta(env: ControlEnv, value: unknown): Promise<{ result: "applied" | "duplicate" }> {
  const delta = parseMetricsDelta(value);
  if (delta === null) throw new TypeError("reportMetrics: not a valid metrics delta");
  const stub = namespace(env).getByName(`shard-${shardIndex(delta.source, shardCount(env))}`);
  return stub.merge(delta);
}

/** Every shard's totals, read concurrently. Per scrape. */
export async function allTotals(env: ControlEnv): Promise<MetricsAggregate[]> {
  const ns = namespace(env);
  return Promise.all(
    Array.from({ length: shardCount(env) }, (_, i) => ns.getByName(`shard-${i}`).totals() as Promise<MetricsAggregate>),
  );
}

/** Every shard's recent deltas. Per topology call. */
export async function allRecent(env: ControlEnv, windowMs: number): Promise<MetricsDelta[]> {
  const ns = namespace(env);
  const lists = await Promise.all(
    Array.from(
      { length: shardCount(env) },
      (_, i) => ns.getByName(`shard-${i}`).recentDeltas(windowMs) as Promise<MetricsDelta[]>,
    ),
  );
  return lists.flat();
}
