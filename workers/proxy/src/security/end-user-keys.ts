// RequestAuthentication key sets: inline `jwks` parsed once, `jwksUri` fetched with a timeout and cached
// per isolate; refreshed in the background when old and, rate-limited, on an unknown kid.
import type { JwtRuleModel } from "../../../../shared/model/security";
import type { Jwk } from "../../../../shared/security/jwt-claims";
import { parseJwks } from "./signature";

const TTL_MS = 5 * 60_000;
/** At most one refresh per key set in this interval, however many unknown kids arrive. */
const MIN_REFRESH_GAP_MS = 5_000;
/** A key set that could not be fetched is not tried again for this long (per isolate). */
const FAILURE_BACKOFF_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 2_000;
const MAX_TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 64 * 1024;

interface Entry {
  keys: Jwk[] | null;
  fetchedAt: number;
  attemptedAt: number;
  inflight: Promise<void> | null;
}

const remote = new Map<string, Entry>();
const inline = new Map<string, Jwk[] | null>();

export interface KeyRequest {
  /** The kid was not found in the keys returned before: refresh (rate-limited) and wait for it. */
  refresh?: boolean;
  waitUntil(promise: Promise<unknown>): void;
}

/** The rule's keys, or null when none can be had (invalid inline JWKS, or the URI cannot be fetched). */
export async function keysForRule(rule: JwtRuleModel, request: KeyRequest): Promise<Jwk[] | null> {
  if (rule.jwks !== undefined) {
    if (!inline.has(rule.jwks)) inline.set(rule.jwks, parseJwks(rule.jwks));
    return inline.get(rule.jwks) ?? null;
  }
  const uri = rule.jwksUri;
  if (uri === undefined) return null;
  const timeoutMs = Math.min(rule.jwksTimeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS);
  let entry = remote.get(uri);
  if (entry === undefined) {
    entry = { keys: null, fetchedAt: 0, attemptedAt: 0, inflight: null };
    remote.set(uri, entry);
  }
  const now = Date.now();
  if (entry.keys === null) {
    // First use (or still failing): this one request waits, bounded by the timeout.
    if (entry.inflight === null && now - entry.attemptedAt >= FAILURE_BACKOFF_MS) start(uri, entry, timeoutMs);
    if (entry.inflight !== null) await entry.inflight;
    return entry.keys;
  }
  if (request.refresh === true && now - entry.attemptedAt >= MIN_REFRESH_GAP_MS) {
    start(uri, entry, timeoutMs);
    if (entry.inflight !== null) await entry.inflight;
  } else if (
    now - entry.fetchedAt >= TTL_MS &&
    entry.inflight === null &&
    now - entry.attemptedAt >= FAILURE_BACKOFF_MS
  ) {
    start(uri, entry, timeoutMs);
    if (entry.inflight !== null) request.waitUntil(entry.inflight);
  }
  return entry.keys;
}

function start(uri: string, entry: Entry, timeoutMs: number): void {
  entry.attemptedAt = Date.now();
  entry.inflight = fetchJwks(uri, timeoutMs)
    .then((keys) => {
      entry.keys = keys;
      entry.fetchedAt = Date.now();
    })
    .catch((err: unknown) => {
      // Keep the keys we had: an unreachable issuer must not log everyone out at once.
      console.warn(`flaremesh-proxy: JWKS ${uri} unavailable:`, err instanceof Error ? err.message : String(err));
    })
    .finally(() => {
      entry.inflight = null;
    });
}

async function fetchJwks(uri: string, timeoutMs: number): Promise<Jwk[]> {
  const response = await fetch(uri, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: "application/json" },
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error("key set too large");
  const keys = parseJwks(text);
  if (keys === null) throw new Error("not a JWKS");
  return keys;
}
