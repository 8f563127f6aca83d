// Passive outlier detection per destination (see destinationKey; Envoy semantics): consecutive errors eject an
// endpoint for a growing time, capped by maxEjectionPercent; it comes back through a single probe.
import type { OutlierDetectionModel } from "../model/resilience";
import { isGatewayError, isServerError, type TryOutcome } from "./outcome";

export type OutlierConfig = OutlierDetectionModel;

export interface EndpointRecord {
  consecutive5xx: number;
  consecutiveGateway: number;
  /** Ejections so far; multiplies the ejection time, decays by one per interval spent healthy. */
  ejectionCount: number;
  /** Non-null while out of rotation: ejected until then, half-open (or probing) afterwards. */
  ejectedUntilMs: number | null;
  probeSinceMs: number | null;
  /** When the endpoint last returned to rotation (drives the decay). */
  healthySinceMs: number | null;
  /** Who ejected it: only local ejections are reported to the control plane (no echo). */
  source: "local" | "remote" | null;
}

export interface OutlierState {
  readonly endpoints: Map<string, EndpointRecord>;
}

/**
 * - `healthy`: in rotation. `ejected`: out until `ejectedUntilMs`.
 * - `half-open`: ejection time over; the next request may probe it. `probing`: a probe is in flight
 *   (for at most `intervalMs`, after which another request may probe).
 */
export type EndpointStatus = "healthy" | "ejected" | "half-open" | "probing";

export function createOutlierState(endpointIds: readonly string[]): OutlierState {
  const state: OutlierState = { endpoints: new Map() };
  syncEndpoints(state, endpointIds);
  return state;
}

/** Follows a new config revision: keeps the history of endpoints that stay, forgets removed ones. */
export function syncEndpoints(state: OutlierState, endpointIds: readonly string[]): void {
  const keep = new Set(endpointIds);
  for (const id of state.endpoints.keys()) if (!keep.has(id)) state.endpoints.delete(id);
  for (const id of endpointIds) if (!state.endpoints.has(id)) state.endpoints.set(id, freshRecord());
}

export function endpointStatus(state: OutlierState, id: string, nowMs: number, cfg: OutlierConfig): EndpointStatus {
  const rec = state.endpoints.get(id);
  return rec === undefined ? "healthy" : statusOf(rec, nowMs, cfg);
}

/**
 * Feeds the outcome of one try to `endpointId`. Call for every try that reached an endpoint; breaker
 * overflow, client cancellation and the overall request timeout are ignored (not the endpoint's fault).
 * A 5xx (or connection failure / per-try timeout) counts towards both detectors, 502/503/504 towards the
 * gateway one; any other response resets them. A half-open endpoint's result decides at once: success
 * brings it back, failure ejects it again for longer.
 */
export function recordResult(
  state: OutlierState,
  endpointId: string,
  outcome: TryOutcome,
  nowMs: number,
  cfg: OutlierConfig,
): { ejected?: string; recovered?: string } {
  const rec = state.endpoints.get(endpointId);
  if (rec === undefined) return {};
  if (outcome.failure === "overflow" || outcome.failure === "cancelled") return {};
  const serverError = isServerError(outcome);
  const status = statusOf(rec, nowMs, cfg);
  // A late answer to a request sent before the ejection says nothing new.
  if (status === "ejected") return {};
  if (status === "half-open" || status === "probing") {
    if (serverError) {
      eject(rec, nowMs, cfg, "local");
      return { ejected: endpointId };
    }
    restore(rec, nowMs);
    return { recovered: endpointId };
  }
  decay(rec, nowMs, cfg);
  rec.consecutive5xx = serverError ? rec.consecutive5xx + 1 : 0;
  rec.consecutiveGateway = isGatewayError(outcome) ? rec.consecutiveGateway + 1 : 0;
  const tripped =
    (cfg.consecutive5xxErrors > 0 && rec.consecutive5xx >= cfg.consecutive5xxErrors) ||
    (cfg.consecutiveGatewayErrors > 0 && rec.consecutiveGateway >= cfg.consecutiveGatewayErrors);
  // `>=` rather than `==`: when the cap blocks an ejection, the next error tries again.
  if (!tripped || !mayEject(state, cfg)) return {};
  eject(rec, nowMs, cfg, "local");
  return { ejected: endpointId };
}

export interface Availability {
  /** Endpoints the load balancer may choose from. */
  ids: string[];
  /** A half-open endpoint this try should be sent to (already marked as probing), or null. */
  probe: string | null;
  /** True when exclusion would leave nothing (or less than minHealthPercent): `ids` is then all of them. */
  panic: boolean;
}

/**
 * Which of `ids` may receive this try. Call once per try, before load balancing. When `probe` is set,
 * send the try there (it preempts the balancer so recovery does not wait for chance) or call
 * `abandonProbe`. `unhealthy`: endpoints failing active health checks, excluded too. If nothing would
 * remain, fail open to all `ids` (Envoy's panic mode): an overloaded endpoint beats none.
 */
export function availableEndpoints(
  state: OutlierState,
  ids: readonly string[],
  nowMs: number,
  cfg: OutlierConfig,
  unhealthy: ReadonlySet<string> = new Set(),
): Availability {
  const healthy: string[] = [];
  let probe: string | null = null;
  for (const id of ids) {
    if (unhealthy.has(id)) continue;
    const rec = state.endpoints.get(id);
    const status = rec === undefined ? "healthy" : statusOf(rec, nowMs, cfg);
    if (status === "healthy") healthy.push(id);
    else if (status === "half-open" && probe === null) probe = id;
  }
  const belowMin = cfg.minHealthPercent > 0 && 100 * healthy.length < cfg.minHealthPercent * ids.length;
  if ((healthy.length === 0 && probe === null) || belowMin) return { ids: [...ids], probe: null, panic: true };
  if (probe !== null) state.endpoints.get(probe)!.probeSinceMs = nowMs;
  return { ids: healthy, probe, panic: false };
}

/** Frees a probe that was handed out but not sent, so that another request can probe. */
export function abandonProbe(state: OutlierState, endpointId: string): void {
  const rec = state.endpoints.get(endpointId);
  if (rec !== undefined) rec.probeSinceMs = null;
}

/** Ejection time for the n-th ejection: base × n, capped at max(maxEjectionTime, base). */
export function ejectionDurationMs(ejectionCount: number, cfg: OutlierConfig): number {
  const cap = Math.max(cfg.maxEjectionTimeMs, cfg.baseEjectionTimeMs);
  return Math.min(cfg.baseEjectionTimeMs * Math.max(1, ejectionCount), cap);
}

/**
 * Whether one more endpoint may leave rotation: (out + 1) / total ≤ maxEjectionPercent, as Envoy
 * counts it, so 10% of fewer than 10 endpoints ejects none unless `alwaysEjectOne`.
 */
export function mayEject(state: OutlierState, cfg: OutlierConfig): boolean {
  let out = 0;
  for (const rec of state.endpoints.values()) if (rec.ejectedUntilMs !== null) out++;
  if (100 * (out + 1) <= cfg.maxEjectionPercent * state.endpoints.size) return true;
  return cfg.alwaysEjectOne && out === 0;
}

function eject(rec: EndpointRecord, nowMs: number, cfg: OutlierConfig, source: "local" | "remote"): void {
  rec.ejectionCount++;
  rec.ejectedUntilMs = nowMs + ejectionDurationMs(rec.ejectionCount, cfg);
  rec.probeSinceMs = null;
  rec.healthySinceMs = null;
  rec.consecutive5xx = 0;
  rec.consecutiveGateway = 0;
  rec.source = source;
}

function restore(rec: EndpointRecord, nowMs: number): void {
  rec.ejectedUntilMs = null;
  rec.probeSinceMs = null;
  rec.healthySinceMs = nowMs;
  rec.consecutive5xx = 0;
  rec.consecutiveGateway = 0;
  rec.source = null;
}

function statusOf(rec: EndpointRecord, nowMs: number, cfg: OutlierConfig): EndpointStatus {
  if (rec.ejectedUntilMs === null) return "healthy";
  if (nowMs < rec.ejectedUntilMs) return "ejected";
  // A probe whose result never came back (request abandoned) must not block recovery forever.
  if (rec.probeSinceMs !== null && nowMs - rec.probeSinceMs < cfg.intervalMs) return "probing";
  return "half-open";
}

// Envoy lowers the multiplier while a host stays healthy, so an old incident stops lengthening ejections.
function decay(rec: EndpointRecord, nowMs: number, cfg: OutlierConfig): void {
  if (rec.ejectionCount === 0 || rec.healthySinceMs === null) return;
  const intervals = Math.floor((nowMs - rec.healthySinceMs) / cfg.intervalMs);
  if (intervals <= 0) return;
  rec.ejectionCount = Math.max(0, rec.ejectionCount - intervals);
  rec.healthySinceMs += intervals * cfg.intervalMs;
}

function freshRecord(): EndpointRecord {
  return {
    consecutive5xx: 0,
    consecutiveGateway: 0,
    ejectionCount: 0,
    ejectedUntilMs: null,
    probeSinceMs: null,
    healthySinceMs: null,
    source: null,
  };
}
