// Hands finished requests to the telemetry queue in the background, batched per isolate; never on the request path.
import type { TelemetrySinkModel } from "../../../../shared/model/telemetry";
import { SHIPMENT_FORMAT, type Shipment, type ShipmentItem } from "../../../../shared/model/telemetry-shipment";
import { inc } from "../../../../shared/telemetry/index";
import { isolateRegistry } from "./isolate";
import { toRequestRecord, type RequestFacts } from "./request-facts";

/** One finished request, for the sinks that take its access-log entry and those that take its span. */
export interface Outgoing {
  facts: RequestFacts;
  logSinks: readonly TelemetrySinkModel[];
  spanSinks: readonly TelemetrySinkModel[];
}

/** The producer side of the queue the telemetry Worker consumes. */
export interface TelemetryQueue {
  send(body: string, options?: { contentType?: "text" }): Promise<unknown>;
}

/** Entries waiting in the isolate; beyond it the oldest are dropped (and counted), so memory stays bounded. */
const OUTBOX_CAPACITY = 2_000;
/** Entries per queue message: fewer, larger sends cost less per entry (each send is one runtime call). */
const ITEMS_PER_MESSAGE = 100;
/** A queue message may hold 128 KB; a chunk whose JSON is larger is split (entries are ~0.7 KB, at most ~3 KB). */
const MAX_MESSAGE_BYTES = 120_000;
/** How long entries gather before they are sent, so nearby requests share a message. */
const GATHER_MS = 100;
/**
 * Gather-and-send rounds one background task runs while traffic keeps adding entries; then it ends (a
 * `waitUntil` should not live for ever) and the next request schedules another.
 */
const MAX_ROUNDS = 20;

const outbox: Outgoing[] = [];
let scheduled = false;

function countDropped(items: readonly Pick<Outgoing, "logSinks" | "spanSinks">[]): void {
  const registry = isolateRegistry();
  for (const item of items) {
    for (const sink of item.logSinks) inc(registry, "mesh_telemetry_dropped_total", { sink: sink.id, kind: "log" });
    for (const sink of item.spanSinks) inc(registry, "mesh_telemetry_dropped_total", { sink: sink.id, kind: "span" });
  }
}

/** Queues a record for shipping and makes sure a background send is scheduled. Per request. */
export function ship(
  exec: Pick<ExecutionContext, "waitUntil">,
  queue: TelemetryQueue | undefined,
  item: Outgoing,
): void {
  if (item.logSinks.length === 0 && item.spanSinks.length === 0) return;
  if (queue === undefined) {
    countDropped([item]);
    return;
  }
  outbox.push(item);
  if (outbox.length > OUTBOX_CAPACITY) countDropped(outbox.splice(0, outbox.length - OUTBOX_CAPACITY));
  if (scheduled) return;
  scheduled = true;
  exec.waitUntil(drain(queue));
}

/**
 * Each round waits `GATHER_MS`, then sends what has gathered — only that: entries arriving during the sends
 * wait for the next round, so a busy proxy sends full messages every `GATHER_MS` rather than one small
 * message per round trip to the queue.
 */
async function drain(queue: TelemetryQueue): Promise<void> {
  try {
    for (let round = 1; ; round++) {
      // Cleared in the same synchronous step as the check, so a record queued after it schedules a new drain.
      if (outbox.length === 0) {
        scheduled = false;
        return;
      }
      await sleep(GATHER_MS);
      // The last round: what arrives during its sends is for the next request's drain.
      if (round >= MAX_ROUNDS) scheduled = false;
      await sendGathered(queue, outbox.length);
      if (round >= MAX_ROUNDS) return;
    }
  } catch (err) {
    scheduled = false;
    console.warn("flaremesh-proxy: telemetry drain failed:", err instanceof Error ? err.message : err);
  }
}

async function sendGathered(queue: TelemetryQueue, count: number): Promise<void> {
  let remaining = count;
  while (remaining > 0 && outbox.length > 0) {
    const chunk = outbox.splice(0, Math.min(ITEMS_PER_MESSAGE, remaining));
    remaining -= chunk.length;
    for (const message of toMessages(chunk)) {
      try {
        await queue.send(message.body, { contentType: "text" });
      } catch (err) {
        countDropped(message.items);
        console.warn("flaremesh-proxy: telemetry queue send failed:", err instanceof Error ? err.message : err);
      }
    }
  }
}

/**
 * The queue messages for a chunk, as JSON text: `JSON.stringify(toShipment(chunk))` — one string per message, no
 * string per record. A message over the size limit is split in halves (and those made again); a single oversized
 * entry is dropped and counted.
 */
export function toMessages(
  chunk: readonly Outgoing[],
  maxBytes = MAX_MESSAGE_BYTES,
): { body: string; items: readonly Outgoing[] }[] {
  if (chunk.length === 0) return [];
  const body = JSON.stringify(toShipment(chunk));
  if (fitsIn(body, maxBytes)) return [{ body, items: chunk }];
  if (chunk.length === 1) {
    countDropped(chunk);
    return [];
  }
  const half = Math.ceil(chunk.length / 2);
  return [...toMessages(chunk.slice(0, half), maxBytes), ...toMessages(chunk.slice(half), maxBytes)];
}

const encoder = new TextEncoder();
/** Reused for every size check: a full message encoded only to be measured was ~0.8 KB of garbage per request. */
let scratch = new Uint8Array(0);

/** Whether `text` is at most `maxBytes` in UTF-8, without allocating its encoding. */
function fitsIn(text: string, maxBytes: number): boolean {
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × it.
  if (text.length * 3 <= maxBytes) return true;
  if (text.length > maxBytes) return false;
  if (scratch.length < maxBytes) scratch = new Uint8Array(maxBytes);
  // encodeInto stops before a character that does not fit: everything read means everything fits.
  return encoder.encodeInto(text, scratch.subarray(0, maxBytes)).read === text.length;
}

/** Each sink once, in order of first use; items point at them by index. */
function sinkIndex(): { sinks: TelemetrySinkModel[]; indexOf: (sink: TelemetrySinkModel) => number } {
  const sinks: TelemetrySinkModel[] = [];
  const index = new Map<TelemetrySinkModel, number>();
  const indexOf = (sink: TelemetrySinkModel): number => {
    let i = index.get(sink);
    if (i === undefined) {
      i = sinks.push(sink) - 1;
      index.set(sink, i);
    }
    return i;
  };
  return { sinks, indexOf };
}

/** The message for a chunk as an object (what the shipper parses `toMessages`' text into). */
export function toShipment(chunk: readonly Outgoing[]): Shipment {
  const { sinks, indexOf } = sinkIndex();
  const items: ShipmentItem[] = chunk.map((item) => ({
    kind: "request",
    logTo: item.logSinks.map(indexOf),
    spanTo: item.spanSinks.map(indexOf),
    record: toRequestRecord(item.facts),
  }));
  return { format: SHIPMENT_FORMAT, sinks, items };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
