// ProxyApi: the RPC entrypoint proxies poll for configuration (brief interface 2). Cached and batched, so
// many proxies polling cost the ControlPlane a few calls per second per control isolate.
import { WorkerEntrypoint } from "cloudflare:workers";
import { controlPlane, type ControlEnv } from "../env";
import type { EndpointHealthModel } from "../../../shared/model/resilience";
import { currentHealth, forwardEjections } from "../health/endpoint-health";
import { devFaults } from "./dev-faults";
import { meshJwksText, meshJwksTextWithin } from "../identity/jwks-cache";
import { heartbeatBuffer } from "./heartbeat-buffer";
import { reportDelta } from "../telemetry/shards";
import { cacheMs, snapshotCache, type CachedSnapshot } from "./snapshot-cache";
import { deltaSince, partsToJson, type SnapshotDelta } from "../../../shared/model/snapshot-parts";

export interface SnapshotRequest {
  proxyId: string;
  worker: string;
  /** The revision the proxy serves now, or null before its first load. */
  servedRevision: number | null;
  /** The proxy can build a revision from a `SnapshotDelta` against the one it serves (absent: send it whole). */
  delta?: boolean;
  /** `generatedAt` of the revision served: a delta is only for a proxy whose revision is of this history. */
  servedGeneratedAt?: string | null;
}

export interface SnapshotAnswer {
  revision: number;
  /**
   * JSON text of a SnapshotModel; null when `servedRevision` is already the current revision, or when `delta`
   * carries the revision instead.
   */
  snapshot: string | null;
  /** For a proxy that asked for one: only the services changed since its revision (shared/model/snapshot-parts). */
  delta?: SnapshotDelta;
  /** The mesh JWKS (JSON text) that verifies identity tokens; sent on every poll, off the request path. */
  jwks?: string;
  /** Endpoint health (shared/model/resilience.ts EndpointHealthModel) for the resilience stages; absent when unavailable. */
  health?: EndpointHealthModel;
}

const MAX_ID_CHARS = 200;
/** How long a poll waits for the mesh JWKS (only the first, which makes the CA key, can be slow). */
const JWKS_WAIT_MS = 500;

export class ProxyApi extends WorkerEntrypoint<ControlEnv> {
  async getSnapshot(request: SnapshotRequest): Promise<SnapshotAnswer> {
    const { proxyId, worker, servedRevision, delta, servedGeneratedAt } = checkRequest(request);
    if (devFaults.proxyApi === "unreachable") throw new Error("control plane unreachable (development fault)");
    if (devFaults.proxyApi === "invalid")
      return { revision: Number.MAX_SAFE_INTEGER, snapshot: '{"format":"garbage"}' };
    const plane = () => controlPlane(this.env);
    const current = await snapshotCache.get(
      async (cached) => {
        // The object copies the snapshot only when its revision differs from the cached one.
        const parts = await plane().snapshotParts(cached?.revision ?? null);
        if (parts !== null) return { revision: parts.revision, parts };
        if (cached === undefined) throw new Error("the control plane sent no snapshot");
        return cached;
      },
      Date.now(),
      cacheMs(this.env.MESH_CONTROL_CACHE_MS),
      servedRevision ?? undefined,
    );
    const now = Date.now();
    const beat = { proxyId, worker, servedRevision, lastSeen: new Date(now).toISOString() };
    if (heartbeatBuffer.record(beat, now)) {
      this.ctx.waitUntil(heartbeatBuffer.flush((batch) => plane().heartbeat(batch), now));
    }
    const jwks = await meshJwksTextWithin(this.env, JWKS_WAIT_MS, (p) => this.ctx.waitUntil(p));
    const served = { revision: servedRevision, generatedAt: servedGeneratedAt, delta };
    const answer: SnapshotAnswer = { revision: current.revision, ...snapshotFor(current, served) };
    if (jwks !== undefined) answer.jwks = jwks;
    // Resilience (additive): ejections the proxy reports go to the HealthChecker in the background; endpoint
    // health rides along with every answer (control/src/health).
    const ejections = (request as { ejections?: unknown }).ejections;
    if (ejections !== undefined) this.ctx.waitUntil(forwardEjections(this.env, ejections));
    const health = await currentHealth(this.env, current.revision, now);
    if (health !== undefined) answer.health = health;
    return answer;
  }

  /**
   * Additive (telemetry): a proxy's (or the shipper's) metrics delta, flushed in the background at most once a
   * second per isolate; merged exactly once into its MetricsShard. Both answers mean "stored": ack it.
   */
  async reportMetrics(delta: unknown): Promise<{ result: "applied" | "duplicate" }> {
    return reportDelta(this.env, delta);
  }

  /** Fresh mesh keys for a proxy that met an unknown `kid` (the proxy rate-limits these calls). */
  async getJwks(): Promise<{ jwks: string }> {
    if (devFaults.proxyApi === "unreachable") throw new Error("control plane unreachable (development fault)");
    return { jwks: await meshJwksText(this.env, { fresh: true }) };
  }
}

/** Nothing for a current proxy; only what changed for one that can take a delta; else the whole snapshot. */
function snapshotFor(
  current: CachedSnapshot,
  served: { revision: number | null; generatedAt: string | null; delta: boolean },
): Pick<SnapshotAnswer, "snapshot" | "delta"> {
  if (current.revision === served.revision) return { snapshot: null };
  const delta =
    served.delta && served.revision !== null ? deltaSince(current.parts, served.revision, served.generatedAt) : null;
  if (delta !== null) return { snapshot: null, delta };
  current.json ??= partsToJson(current.parts);
  return { snapshot: current.json };
}

/** RPC callers are other Workers, but their arguments are still checked before they reach storage. */
export function checkRequest(request: unknown): SnapshotRequest & { delta: boolean; servedGeneratedAt: string | null } {
  const { proxyId, worker, servedRevision, delta, servedGeneratedAt } = (
    typeof request === "object" && request !== null ? request : {}
  ) as Record<string, unknown>;
  if (typeof proxyId !== "string" || proxyId.length === 0 || proxyId.length > MAX_ID_CHARS) {
    throw new TypeError("getSnapshot: proxyId must be a non-empty string");
  }
  if (typeof worker !== "string" || worker.length === 0 || worker.length > MAX_ID_CHARS) {
    throw new TypeError("getSnapshot: worker must be a non-empty string");
  }
  if (servedRevision !== null && !(typeof servedRevision === "number" && Number.isSafeInteger(servedRevision))) {
    throw new TypeError("getSnapshot: servedRevision must be an integer or null");
  }
  if (delta !== undefined && typeof delta !== "boolean") throw new TypeError("getSnapshot: delta must be a boolean");
  const generated = servedGeneratedAt ?? null;
  if (generated !== null && (typeof generated !== "string" || generated.length > MAX_ID_CHARS)) {
    throw new TypeError("getSnapshot: servedGeneratedAt must be a string or null");
  }
  return { proxyId, worker, servedRevision, delta: delta === true, servedGeneratedAt: generated };
}
