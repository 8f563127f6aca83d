// The global rate limit's counter shards: `RateLimitShard` Durable Objects of flaremesh-control, bound to the
// proxy as RATE_LIMIT. One increment per request; slow or failing shards fail open (Envoy's default).
import type { GlobalRateLimitModel } from "../../../../shared/model/resilience";
import {
  decideGlobal,
  globalWindowKey,
  slidingCount,
  UNIT_MS,
  type GlobalDecision,
} from "../../../../shared/resilience/index";
import { fnv1a } from "../../../../shared/routing/consistent-hash";
import { releaseRpcResult } from "../../../../shared/dispose";

/** Counters are spread over this many shards by key, so that one hot service does not serialize the others. */
export const RATE_LIMIT_SHARDS = 16;
/** The longest a request waits for its counter before going on unlimited. */
export const GLOBAL_LIMIT_TIMEOUT_MS = 250;

/** The RPC surface of RateLimitShard (control/src/rate-limit/rate-limit-shard.ts); workers never import control. */
export interface RateLimitShardRpc {
  hit(current: string, previous: string, ttlMs: number): Promise<{ current: number; previous: number }>;
}

let lastWarning = 0;

/** Counts this request against `key` and decides; null when the shard could not answer in time (fail open). */
export async function hitGlobalLimit(
  namespace: DurableObjectNamespace,
  key: string,
  limit: GlobalRateLimitModel,
  nowMs: number,
): Promise<GlobalDecision | null> {
  const unitMs = UNIT_MS[limit.unit];
  const current = globalWindowKey(key, nowMs, limit.unit);
  const previous = globalWindowKey(key, nowMs - unitMs, limit.unit);
  const stub = namespace.get(namespace.idFromName(`rate-limit-${fnv1a(key) % RATE_LIMIT_SHARDS}`));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const counts = await Promise.race([
      (stub as unknown as RateLimitShardRpc).hit(current, previous, 2 * unitMs),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), GLOBAL_LIMIT_TIMEOUT_MS))),
    ]);
    if (counts === null) throw new Error(`no answer within ${GLOBAL_LIMIT_TIMEOUT_MS} ms`);
    releaseRpcResult(counts);
    return decideGlobal(
      slidingCount(counts.previous, counts.current, nowMs, limit.unit),
      limit.requestsPerUnit,
      nowMs,
      limit.unit,
    );
  } catch (err) {
    if (nowMs - lastWarning > 10_000) {
      lastWarning = nowMs;
      console.warn(
        "flaremesh-proxy: global rate limit unavailable, not enforced:",
        err instanceof Error ? err.message : err,
      );
    }
    return null;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
