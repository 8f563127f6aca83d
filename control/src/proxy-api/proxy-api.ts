// ProxyApi: the RPC entrypoint proxies poll for configuration (brief interface 2). Cached and batched, so
// many proxies polling cost the ControlPlane a few calls per second per control isolate.
import { WorkerEntrypoint } from "cloudflare:workers";
import { controlPlane, type ControlEnv } from "../env";
import { devFaults } from "./dev-faults";
import { heartbeatBuffer } from "./heartbeat-buffer";
import { cacheMs, snapshotCache } from "./snapshot-cache";

export interface SnapshotRequest {
  proxyId: string;
  worker: string;
  /** The revision the proxy serves now, or null before its first load. */
  servedRevision: number | null;
}

export interface SnapshotAnswer {
  revision: number;
  /** JSON text of a SnapshotModel; null when `servedRevision` is already the current revision. */
  snapshot: string | null;
}

const MAX_ID_CHARS = 200;

export class ProxyApi extends WorkerEntrypoint<ControlEnv> {
  async getSnapshot(request: SnapshotRequest): Promise<SnapshotAnswer> {
    const { proxyId, worker, servedRevision } = checkRequest(request);
    if (devFaults.proxyApi === "unreachable") throw new Error("control plane unreachable (development fault)");
    if (devFaults.proxyApi === "invalid")
      return { revision: Number.MAX_SAFE_INTEGER, snapshot: '{"format":"garbage"}' };
    const plane = () => controlPlane(this.env);
    const current = await snapshotCache.get(
      () => plane().getSnapshot(),
      Date.now(),
      cacheMs(this.env.MESH_CONTROL_CACHE_MS),
      servedRevision ?? undefined,
    );
    const now = Date.now();
    const beat = { proxyId, worker, servedRevision, lastSeen: new Date(now).toISOString() };
    if (heartbeatBuffer.record(beat, now)) {
      this.ctx.waitUntil(heartbeatBuffer.flush((batch) => plane().heartbeat(batch), now));
    }
    return { revision: current.revision, snapshot: current.revision === servedRevision ? null : current.json };
  }
}

/** RPC callers are other Workers, but their arguments are still checked before they reach storage. */
export function checkRequest(request: unknown): SnapshotRequest {
  const { proxyId, worker, servedRevision } = (
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
  return { proxyId, worker, servedRevision };
}
