// The bounded shipping buffer of one sink: batching, one send in flight, retries with backoff, drops counted.

export type TelemetryKind = "log" | "span";
export type KindCounts = Record<TelemetryKind, number>;

export interface BufferedEntry<T> {
  kind: TelemetryKind;
  entry: T;
  enqueuedAt: number;
  /** Failed sends this entry was part of. */
  attempts: number;
}

export interface Batch<T> {
  id: number;
  entries: BufferedEntry<T>[];
  sentAt: number;
}

export interface ShipStats {
  sent: KindCounts;
  dropped: KindCounts;
  /** Entries sent again after a failed send. */
  retried: number;
}

/** Plain data, so a Durable Object can persist it between alarms. */
export interface ShipBuffer<T> {
  capacity: number;
  queue: BufferedEntry<T>[];
  /** At most one batch is in flight: order is kept and nothing is sent twice unless a send failed. */
  inFlight: Batch<T> | null;
  nextBatchId: number;
  /** Consecutive failed sends: drives the backoff. */
  failures: number;
  /** No send before this time (ms). */
  nextAttemptAt: number;
  totals: ShipStats;
  /** Increments since the last `takeStats`, for the metrics registry. */
  unreported: ShipStats;
}

export interface BatchOptions {
  maxEntries: number;
  maxDelayMs: number;
  /** A send not answered by then counts as failed (the isolate may have been evicted). */
  sendTimeoutMs?: number;
}

export interface RetryOptions {
  baseMs?: number;
  maxMs?: number;
  /** Sends an entry takes part in before it is dropped. */
  maxAttempts?: number;
}

/** `retry`: the sink may take it later (network error, 408, 429, 5xx); `reject`: it never will (other 4xx). */
export type SendResult = "ok" | "retry" | "reject";

const DEFAULT_SEND_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY: Required<RetryOptions> = { baseMs: 500, maxMs: 30_000, maxAttempts: 8 };

function zeroStats(): ShipStats {
  return { sent: { log: 0, span: 0 }, dropped: { log: 0, span: 0 }, retried: 0 };
}

export function createBuffer<T>(capacity: number): ShipBuffer<T> {
  return {
    capacity: Math.max(1, Math.floor(capacity)),
    queue: [],
    inFlight: null,
    nextBatchId: 1,
    failures: 0,
    nextAttemptAt: 0,
    totals: zeroStats(),
    unreported: zeroStats(),
  };
}

function count(buf: ShipBuffer<unknown>, field: "sent" | "dropped", entries: readonly BufferedEntry<unknown>[]): void {
  for (const e of entries) {
    buf.totals[field][e.kind] += 1;
    buf.unreported[field][e.kind] += 1;
  }
}

/** Drops the oldest entries beyond capacity (newest telemetry is the most useful); returns how many. */
function trim(buf: ShipBuffer<unknown>): number {
  const excess = buf.queue.length - buf.capacity;
  if (excess <= 0) return 0;
  count(buf, "dropped", buf.queue.splice(0, excess));
  return excess;
}

/** Adds entries; returns how many (old) entries were dropped to make room. Per request. */
export function enqueue<T>(
  buf: ShipBuffer<T>,
  items: readonly { kind: TelemetryKind; entry: T }[],
  nowMs: number,
): number {
  for (const item of items) buf.queue.push({ kind: item.kind, entry: item.entry, enqueuedAt: nowMs, attempts: 0 });
  return trim(buf);
}

/**
 * The next batch to send, or null: when a send is in flight, during backoff, or while the queue is
 * neither full (`maxEntries`) nor old enough (oldest waited `maxDelayMs`). Per flush tick.
 */
export function takeBatch<T>(buf: ShipBuffer<T>, nowMs: number, options: BatchOptions): Batch<T> | null {
  if (buf.inFlight) {
    if (nowMs - buf.inFlight.sentAt < (options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS)) return null;
    onSendResult(buf, buf.inFlight, "retry", nowMs, 0.5);
  }
  if (nowMs < buf.nextAttemptAt || buf.queue.length === 0) return null;
  const max = Math.max(1, Math.floor(options.maxEntries));
  const oldest = buf.queue[0]!;
  if (buf.queue.length < max && nowMs - oldest.enqueuedAt < options.maxDelayMs) return null;
  const batch: Batch<T> = { id: buf.nextBatchId++, entries: buf.queue.splice(0, max), sentAt: nowMs };
  buf.inFlight = batch;
  return batch;
}

/** Backoff before the next send: exponential in consecutive failures, with equal jitter (never zero). */
export function backoffMs(failures: number, random01: number, options: RetryOptions = {}): number {
  const { baseMs, maxMs } = { ...DEFAULT_RETRY, ...options };
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + (ceiling / 2) * Math.min(1, Math.max(0, random01));
}

/**
 * Records how a send ended. `ok`: done. `retry` (or `false`): the batch goes back to the front of the
 * queue, within capacity, and sending pauses for a jittered exponential backoff; entries that took
 * part in `maxAttempts` sends are dropped. `reject`: the sink refuses the payload, so it is dropped.
 * A result for a batch no longer in flight (timed out earlier) is ignored. Per send.
 */
export function onSendResult<T>(
  buf: ShipBuffer<T>,
  batch: Batch<T>,
  result: SendResult | boolean,
  nowMs: number,
  random01: number,
  options: RetryOptions = {},
): void {
  if (buf.inFlight?.id !== batch.id) return;
  buf.inFlight = null;
  const outcome: SendResult = result === true ? "ok" : result === false ? "retry" : result;
  if (outcome === "ok") {
    count(buf, "sent", batch.entries);
    buf.failures = 0;
    buf.nextAttemptAt = 0;
    return;
  }
  if (outcome === "reject") {
    count(buf, "dropped", batch.entries);
    return;
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const again: BufferedEntry<T>[] = [];
  const exhausted: BufferedEntry<T>[] = [];
  for (const e of batch.entries)
    (e.attempts + 1 >= maxAttempts ? exhausted : again).push({ ...e, attempts: e.attempts + 1 });
  count(buf, "dropped", exhausted);
  buf.totals.retried += again.length;
  buf.unreported.retried += again.length;
  buf.queue.unshift(...again);
  trim(buf);
  buf.failures += 1;
  buf.nextAttemptAt = nowMs + backoffMs(buf.failures, random01, options);
}

/** When to call `takeBatch` next (for an alarm or timer); null when the queue is empty. */
export function nextWakeAt(buf: ShipBuffer<unknown>, options: BatchOptions): number | null {
  if (buf.inFlight) return buf.inFlight.sentAt + (options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS);
  const oldest = buf.queue[0];
  if (!oldest) return null;
  const ready = buf.queue.length >= options.maxEntries ? 0 : oldest.enqueuedAt + options.maxDelayMs;
  return Math.max(ready, buf.nextAttemptAt);
}

/** Sent/dropped/retried since the last call (then reset), to add to the metrics registry. Per flush. */
export function takeStats(buf: ShipBuffer<unknown>): ShipStats {
  const stats = buf.unreported;
  buf.unreported = zeroStats();
  return stats;
}

/** How an HTTP status from a sink counts: 2xx ok; 408, 429 and 5xx retry; other codes reject. */
export function classifyStatus(status: number): SendResult {
  if (status >= 200 && status < 300) return "ok";
  if (status === 408 || status === 429 || status >= 500 || status === 0) return "retry";
  return "reject";
}
