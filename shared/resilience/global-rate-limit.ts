// Global rate limit helpers: which counter a request increments (key + window), and the decision from
// the count a counter shard (a Durable Object) returns. Sliding-window estimate as in Cloudflare's limiter.
import type { GlobalRateLimitModel, RateUnit } from "../model/resilience";
import { retryAfterSeconds, UNIT_MS } from "./rate-unit";

/** What the proxy knows about the request, for keying. */
export interface RateLimitFacts {
  principal: string | null;
  clientIp: string | null;
  header(name: string): string | null;
}

// A missing key value shares one counter rather than escaping the limit (omitting a header must not help).
const NONE = "-";
const MAX_VALUE_LENGTH = 256;

/** The limit's descriptor for one request: `<service>` or `<service>|header:<name>=<value>` and so on. */
export function globalLimitKey(service: string, limit: GlobalRateLimitModel, facts: RateLimitFacts): string {
  const key = limit.key;
  if (key === undefined) return service;
  if ("header" in key) {
    const name = key.header.toLowerCase();
    return `${service}|header:${name}=${part(facts.header(name))}`;
  }
  if ("principal" in key) return `${service}|principal=${part(facts.principal)}`;
  return `${service}|ip=${part(facts.clientIp)}`;
}

function part(value: string | null): string {
  return value === null || value === "" ? NONE : encodeURIComponent(value).slice(0, MAX_VALUE_LENGTH);
}

export interface WindowBounds {
  startMs: number;
  endMs: number;
  /** How far into the window `nowMs` is, in [0, 1). */
  elapsed: number;
}

export function windowBounds(nowMs: number, unit: RateUnit): WindowBounds {
  const len = UNIT_MS[unit];
  const startMs = Math.floor(nowMs / len) * len;
  return { startMs, endMs: startMs + len, elapsed: (nowMs - startMs) / len };
}

/** Counter name for the fixed window containing `nowMs`; the shard keeps it for two windows. */
export function globalWindowKey(key: string, nowMs: number, unit: RateUnit): string {
  return `${key}@${unit}:${windowBounds(nowMs, unit).startMs}`;
}

/**
 * Sliding-window estimate: the previous window's count weighted by the part of it still inside a
 * window-long look-back, plus the current count. Smooths the double burst a fixed window allows at edges.
 */
export function slidingCount(previous: number, current: number, nowMs: number, unit: RateUnit): number {
  return previous * (1 - windowBounds(nowMs, unit).elapsed) + current;
}

export type GlobalDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** `count` (fixed-window count or sliding estimate) includes this request. Over: retry when the window ends. */
export function decideGlobal(count: number, limit: number, nowMs: number, unit: RateUnit): GlobalDecision {
  if (count <= limit) return { allowed: true, remaining: Math.max(0, Math.floor(limit - count)) };
  return { allowed: false, retryAfterSeconds: retryAfterSeconds(windowBounds(nowMs, unit).endMs - nowMs) };
}
