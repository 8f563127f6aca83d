// The proxy's bindings: the wrangler-generated `Env` with the control RPC typed, plus settings parsed once.
import type { RemoteEjectionModel } from "../../../shared/model/resilience";
import { parseHostSuffixes } from "../../../shared/routing/host";

/** Brief interface 2. Declared here because workers/ and control/ never import each other. */
export interface SnapshotRequest {
  proxyId: string;
  worker: string;
  servedRevision: number | null;
  /** Additive (resilience): this isolate's outlier ejections, destination key → ejections, reported in the background. */
  ejections?: Record<string, RemoteEjectionModel[]>;
  /** The proxy takes a delta against `servedRevision` (only the services changed since). */
  delta?: boolean;
  /** `generatedAt` of the served revision, which a delta must start from (same number, same history). */
  servedGeneratedAt?: string | null;
}
export interface SnapshotAnswer {
  revision: number;
  /** JSON text of a SnapshotModel, or null when `servedRevision` is already current or `delta` is sent instead. */
  snapshot: string | null;
  /** A SnapshotDelta (shared/model/snapshot-parts.ts) against `servedRevision`; validated on receipt. */
  delta?: unknown;
  /** Additive (resilience): endpoint health (EndpointHealthModel), not part of a revision; validated on receipt. */
  health?: unknown;
  /** Additive (security): the mesh JWKS (JSON text) that verifies `x-mesh-identity` tokens. */
  jwks?: string;
}
export interface ControlRpc {
  getSnapshot(request: SnapshotRequest): Promise<SnapshotAnswer>;
  /** Additive (security): fresh mesh keys after an unknown kid; rate-limited by the caller. */
  getJwks?(): Promise<{ jwks: string }>;
}

export interface ProxyEnv extends Omit<Env, "CONTROL" | "MESH_HOST_SUFFIXES" | "MESH_REFRESH_MS" | "RATE_LIMIT"> {
  CONTROL: ControlRpc;
  /** Global rate-limit counters: `RateLimitShard` of flaremesh-control (optional: without it global limits are off). */
  RATE_LIMIT?: DurableObjectNamespace;
  MESH_HOST_SUFFIXES?: string;
  MESH_REFRESH_MS?: string;
  /** `<namespace>/<name>`: a per-service proxy that fronts only this service, whatever the Host. */
  MESH_SERVICE?: string;
  /**
   * Local mesh only: the secret by which the local mTLS listener proves that it set `request.cf`
   * (Miniflare lets any client choose `request.cf`). Unset on Cloudflare, where the edge sets it.
   */
  MESH_TLS_LISTENER_SECRET?: string;
}

export interface Settings {
  hostSuffixes: string[];
  refreshMs: number;
  pinnedService: string | null;
}

const DEFAULT_REFRESH_MS = 250;
const settingsCache = new WeakMap<object, Settings>();

export function settingsOf(env: ProxyEnv): Settings {
  let settings = settingsCache.get(env);
  if (!settings) {
    const refresh = Number(env.MESH_REFRESH_MS);
    settings = {
      hostSuffixes: parseHostSuffixes(env.MESH_HOST_SUFFIXES),
      refreshMs: Number.isFinite(refresh) && refresh > 0 ? refresh : DEFAULT_REFRESH_MS,
      pinnedService: env.MESH_SERVICE?.trim() || null,
    };
    settingsCache.set(env, settings);
  }
  return settings;
}

/** `reviews-v2` → `WORKER_REVIEWS_V2` (brief interface 5). */
export function workerBindingName(worker: string): string {
  return `WORKER_${worker.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The service binding for a `{worker}` endpoint, or null when the proxy has none by that name. */
export function workerBinding(env: ProxyEnv, worker: string): Fetcher | null {
  const binding = (env as unknown as Record<string, unknown>)[workerBindingName(worker)];
  return typeof binding === "object" && binding !== null && typeof (binding as Fetcher).fetch === "function"
    ? (binding as Fetcher)
    : null;
}
