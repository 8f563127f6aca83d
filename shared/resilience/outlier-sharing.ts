// Shares ejections between proxy isolates through the control plane, off the request path.
//
// Consistency: eventual. An ejection made by isolate A reaches isolate B after A reports it (background,
// `ctx.waitUntil`) and B's next poll of the control plane (REFRESH_MS, 250 ms locally): a few hundred
// milliseconds, unbounded only while the control plane is down (each isolate then decides alone, which
// is the static-stability default). Only ejections travel; recovery is decided locally by each isolate's
// own half-open probe once the shared ejection time has passed. Times are epoch milliseconds, so clock
// skew between isolates shifts an ejection's end by that skew (small on the platform).
import type { RemoteEjectionModel } from "../model/resilience";
import { mayEject, type OutlierConfig, type OutlierState } from "./outlier-detection";

export type RemoteEjection = RemoteEjectionModel;

/** This isolate's own current ejections, to report to the control plane (remote ones are not echoed). */
export function localEjections(state: OutlierState, nowMs: number): RemoteEjection[] {
  const out: RemoteEjection[] = [];
  for (const [endpointId, rec] of state.endpoints) {
    if (rec.source === "local" && rec.ejectedUntilMs !== null && rec.ejectedUntilMs > nowMs) {
      out.push({ endpointId, ejectedUntilMs: rec.ejectedUntilMs, ejectionCount: rec.ejectionCount });
    }
  }
  return out;
}

/**
 * Adopts ejections reported by other isolates. An endpoint already out of rotation here keeps the later
 * end time; a healthy one is ejected until the reported time if maxEjectionPercent still allows it here
 * (several isolates each within the cap could otherwise add up past it). Expired and unknown endpoints
 * are skipped. Returns the endpoints that left rotation because of this merge.
 */
export function mergeRemoteEjections(
  state: OutlierState,
  remote: readonly RemoteEjection[],
  nowMs: number,
  cfg: OutlierConfig,
): string[] {
  const ejected: string[] = [];
  for (const r of remote) {
    const rec = state.endpoints.get(r.endpointId);
    if (rec === undefined || r.ejectedUntilMs <= nowMs) continue;
    if (rec.ejectedUntilMs !== null) {
      if (r.ejectedUntilMs > rec.ejectedUntilMs) {
        // Another isolate saw it fail more recently (e.g. its probe): stay out until then, no probe now.
        rec.ejectedUntilMs = r.ejectedUntilMs;
        rec.probeSinceMs = null;
      }
      rec.ejectionCount = Math.max(rec.ejectionCount, r.ejectionCount);
      continue;
    }
    if (!mayEject(state, cfg)) continue;
    rec.ejectedUntilMs = r.ejectedUntilMs;
    rec.ejectionCount = Math.max(rec.ejectionCount, r.ejectionCount);
    rec.probeSinceMs = null;
    rec.healthySinceMs = null;
    rec.consecutive5xx = 0;
    rec.consecutiveGateway = 0;
    rec.source = "remote";
    ejected.push(r.endpointId);
  }
  return ejected;
}
