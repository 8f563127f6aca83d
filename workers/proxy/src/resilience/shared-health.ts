// Endpoint health handed out by the control plane with each config poll (active health checks and ejections
// made by other isolates), and this isolate's own ejections to report back. Never on the request path:
// config/cache.ts calls both from its background refresh. See docs/decisions/outlier-sharing.md.
import { EndpointHealthModel, type RemoteEjectionModel } from "../../../../shared/model/resilience";
import { localEjections } from "../../../../shared/resilience/index";
import { destinations } from "./registry";

interface HealthView {
  /** Bumped on every accepted answer, so that destinations merge new ejections once. */
  generation: number;
  unhealthy: Map<string, ReadonlySet<string>>;
  ejections: Record<string, RemoteEjectionModel[]>;
}

const EMPTY: ReadonlySet<string> = new Set();
let view: HealthView = { generation: 0, unhealthy: new Map(), ejections: {} };
/** `<destination>|<endpoint>` → the ejection end already reported (no echo, no repeats). */
const reported = new Map<string, number>();

/** Adopts the `health` field of a getSnapshot answer; an absent or invalid one keeps the last good view. */
export function receiveHealth(raw: unknown, _nowMs: number): void {
  if (raw === undefined || raw === null) return;
  const parsed = EndpointHealthModel.safeParse(raw);
  if (!parsed.success) {
    console.warn("flaremesh-proxy: ignoring an invalid endpoint health answer");
    return;
  }
  const unhealthy = new Map<string, ReadonlySet<string>>();
  for (const [service, ids] of Object.entries(parsed.data.unhealthy))
    if (ids.length > 0) unhealthy.set(service, new Set(ids));
  view = { generation: view.generation + 1, unhealthy, ejections: parsed.data.ejections };
}

/** Endpoint ids of `serviceKey` failing active health checks. */
export function unhealthyEndpoints(serviceKey: string): ReadonlySet<string> {
  return view.unhealthy.get(serviceKey) ?? EMPTY;
}

export function healthGeneration(): number {
  return view.generation;
}

export function remoteEjections(destinationKey: string): readonly RemoteEjectionModel[] {
  return view.ejections[destinationKey] ?? [];
}

export interface EjectionReport {
  ejections: Record<string, RemoteEjectionModel[]>;
  /** Call once the control plane took the report; otherwise it is sent again with the next poll. */
  acknowledge(): void;
}

/** This isolate's ejections not yet reported, or null when there is nothing new. */
export function ejectionReport(nowMs: number): EjectionReport | null {
  for (const [k, until] of reported) if (until <= nowMs) reported.delete(k);
  const ejections: Record<string, RemoteEjectionModel[]> = {};
  const sent: [string, number][] = [];
  for (const dest of destinations.values()) {
    if (dest.outlierConfig === null) continue;
    for (const e of localEjections(dest.outlier, nowMs)) {
      const k = `${dest.key}|${e.endpointId}`;
      if (reported.get(k) === e.ejectedUntilMs) continue;
      (ejections[dest.key] ??= []).push(e);
      sent.push([k, e.ejectedUntilMs]);
    }
  }
  if (sent.length === 0) return null;
  return {
    ejections,
    acknowledge() {
      for (const [k, until] of sent) reported.set(k, until);
    },
  };
}
