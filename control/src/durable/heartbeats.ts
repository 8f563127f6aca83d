// Checks heartbeat batches arriving over RPC before they are stored.
import type { Heartbeat } from "../storage/heartbeat-store";

const MAX_BATCH = 1000;
const MAX_ID_CHARS = 200;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** Keeps the well-formed heartbeats of a batch (at most MAX_BATCH); drops the rest. */
export function sanitizeHeartbeats(batch: unknown): Heartbeat[] {
  if (!Array.isArray(batch)) return [];
  const out: Heartbeat[] = [];
  for (const item of batch.slice(0, MAX_BATCH)) {
    if (typeof item !== "object" || item === null) continue;
    const { proxyId, worker, servedRevision, lastSeen } = item as Record<string, unknown>;
    if (!shortString(proxyId) || !shortString(worker)) continue;
    if (servedRevision !== null && !(typeof servedRevision === "number" && Number.isSafeInteger(servedRevision)))
      continue;
    if (typeof lastSeen !== "string" || !ISO_UTC.test(lastSeen)) continue;
    out.push({ proxyId, worker, servedRevision, lastSeen });
  }
  return out;
}

function shortString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_ID_CHARS;
}
