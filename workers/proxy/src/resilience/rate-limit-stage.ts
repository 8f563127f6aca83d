// Rate limits of the destination service (TrafficPolicy `rateLimit`): the isolate's token bucket first (free),
// then the mesh-wide counter. Over either: 429 rate_limited with Retry-After, flag RL.
import { MeshError } from "../../../../shared/errors";
import type { LocalRateLimitModel } from "../../../../shared/model/resilience";
import { createTokenBucket, globalLimitKey, tryTake, type TokenBucket } from "../../../../shared/resilience/index";
import type { ProxyContext, StageFactory } from "../context";
import { countRateLimited } from "../telemetry/resilience-metrics";
import { hitGlobalLimit } from "./global-limit";
import { addFlag } from "./request-state";

/** Per isolate, across revisions: service key → its bucket and the settings it was made with. */
const buckets = new Map<string, { limit: LocalRateLimitModel; signature: string; bucket: TokenBucket }>();

export const rateLimit: StageFactory = () =>
  async function rateLimit(ctx: ProxyContext, next) {
    const limits = ctx.destination.model.policy.resilience?.rateLimit;
    if (limits === undefined) return next();
    const now = Date.now();
    if (limits.local !== undefined) {
      const taken = tryTake(bucketFor(ctx.destination.key, limits.local, now), now);
      if (!taken.allowed) throw limited(ctx, taken.retryAfterSeconds, "local");
    }
    const global = limits.global;
    if (global !== undefined && ctx.env.RATE_LIMIT !== undefined) {
      const headers = ctx.headers;
      const key = globalLimitKey(ctx.destination.key, global, {
        principal: ctx.principal,
        clientIp: ctx.mode === "ingress" ? headers.original("cf-connecting-ip") : null,
        header: (name) => headers.original(name),
      });
      const decision = await hitGlobalLimit(ctx.env.RATE_LIMIT, key, global, now);
      if (decision !== null && !decision.allowed) throw limited(ctx, decision.retryAfterSeconds, "global");
    }
    return next();
  };

function bucketFor(service: string, limit: LocalRateLimitModel, now: number): TokenBucket {
  const signature = `${limit.requestsPerUnit}/${limit.unit}/${limit.burst ?? 0}`;
  let entry = buckets.get(service);
  if (entry === undefined || entry.signature !== signature) {
    entry = { limit, signature, bucket: createTokenBucket(limit, now) };
    buckets.set(service, entry);
  }
  return entry.bucket;
}

function limited(ctx: ProxyContext, retryAfterSeconds: number, which: "local" | "global"): MeshError {
  addFlag(ctx, "RL");
  countRateLimited(ctx.destination.model, which);
  return new MeshError("rate_limited", `${ctx.destination.key}: ${which} rate limit exceeded`, {
    headers: { "retry-after": String(retryAfterSeconds) },
  });
}
