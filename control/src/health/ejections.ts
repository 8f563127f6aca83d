// Ejections reported by proxies: checked (they come from other Workers, still untrusted input) and merged.
import { RemoteEjectionModel } from "../../../shared/model/resilience";

const MAX_DESTINATIONS = 1_000;
const MAX_PER_DESTINATION = 1_000;
/** An ejection claiming to last longer than this is cut (Envoy's maximum ejection time). */
const MAX_EJECTION_MS = 300_000;

export type EjectionTable = Map<string, Map<string, RemoteEjectionModel>>;

/** Merges a proxy's report into `table`, keeping the later end per endpoint; ignores anything malformed. */
export function mergeReport(table: EjectionTable, report: unknown, nowMs: number): number {
  if (typeof report !== "object" || report === null || Array.isArray(report)) return 0;
  let merged = 0;
  for (const [destination, list] of Object.entries(report as Record<string, unknown>).slice(0, MAX_DESTINATIONS)) {
    if (!Array.isArray(list) || destination.length === 0 || destination.length > 500) continue;
    for (const raw of list.slice(0, MAX_PER_DESTINATION)) {
      const parsed = RemoteEjectionModel.safeParse(raw);
      if (!parsed.success || parsed.data.ejectedUntilMs <= nowMs) continue;
      const e = { ...parsed.data, ejectedUntilMs: Math.min(parsed.data.ejectedUntilMs, nowMs + MAX_EJECTION_MS) };
      let byEndpoint = table.get(destination);
      if (byEndpoint === undefined) table.set(destination, (byEndpoint = new Map()));
      const known = byEndpoint.get(e.endpointId);
      if (known === undefined || known.ejectedUntilMs < e.ejectedUntilMs) {
        byEndpoint.set(e.endpointId, {
          ...e,
          ejectionCount: Math.max(e.ejectionCount, known?.ejectionCount ?? 0),
        });
        merged++;
      }
    }
  }
  return merged;
}

/** The live ejections, destination → list; expired ones are dropped from `table` on the way. */
export function liveEjections(table: EjectionTable, nowMs: number): Record<string, RemoteEjectionModel[]> {
  const out: Record<string, RemoteEjectionModel[]> = {};
  for (const [destination, byEndpoint] of table) {
    for (const [id, e] of byEndpoint) if (e.ejectedUntilMs <= nowMs) byEndpoint.delete(id);
    if (byEndpoint.size === 0) table.delete(destination);
    else out[destination] = [...byEndpoint.values()];
  }
  return out;
}
