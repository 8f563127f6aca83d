// Zone-aware endpoint preference: endpoints in the caller's zone first, all endpoints when none of those is usable.

export interface LocalityEndpoint {
  id: string;
  weight: number;
  zone?: string | undefined;
}

/** An endpoint list with the same length and order as its source, weights zeroed outside the preferred zone. */
export type WeightedView = readonly { id: string; weight: number }[];

/**
 * The endpoints to balance over for a caller in `callerZones` (e.g. its `cf.colo` and `cf.region`).
 * Endpoints whose `zone` is one of them keep their weight and every other endpoint gets weight 0 — unless no
 * endpoint in those zones has a positive weight and is `usable` (healthy), in which case the whole list is
 * returned unchanged (falls back to all zones). Indices are preserved, so a round-robin state or a chosen index
 * refers to the same endpoint either way. Returns `endpoints` itself when no preference applies.
 */
export function preferLocal<E extends LocalityEndpoint>(
  endpoints: readonly E[],
  callerZones: readonly string[],
  usable: (index: number) => boolean = () => true,
): readonly E[] | WeightedView {
  if (callerZones.length === 0) return endpoints;
  let local = 0;
  let other = 0;
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i]!;
    if (e.weight <= 0 || !usable(i)) continue;
    if (e.zone !== undefined && callerZones.includes(e.zone)) local++;
    else other++;
  }
  // Nothing local to prefer, or nothing else to exclude: the plain list.
  if (local === 0 || other === 0) return endpoints;
  return endpoints.map((e) => ({
    id: e.id,
    weight: e.zone !== undefined && callerZones.includes(e.zone) ? e.weight : 0,
  }));
}

/** The distinct zones named by a set of endpoints (empty when none has a zone, so the caller can skip the work). */
export function zonesOf(endpoints: readonly LocalityEndpoint[]): Set<string> {
  const zones = new Set<string>();
  for (const e of endpoints) if (e.zone !== undefined) zones.add(e.zone);
  return zones;
}
