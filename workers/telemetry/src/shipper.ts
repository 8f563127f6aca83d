// The isolate's shipping state: one bounded buffer per sink, pumped in the background with retries and backoff.
import type { TelemetrySinkModel } from "../../../shared/model/telemetry";
import type { Shipment } from "../../../shared/model/telemetry-shipment";
import { accessLogFromRecord, spanFromRecord } from "../../../shared/telemetry/request-record";
import {
  createBuffer,
  createRegistry,
  enqueue,
  inc,
  nextWakeAt,
  onSendResult,
  takeBatch,
  takeStats,
  type BatchOptions,
  type MetricsRegistry,
  type ShipBuffer,
} from "../../../shared/telemetry/index";
import { MetricsFlusher } from "../../proxy/src/telemetry/metrics-flush";
import type { ShipperEnv } from "./env";
import { sendToSink, type Shippable } from "./send";

interface SinkState {
  sink: TelemetrySinkModel;
  buffer: ShipBuffer<Shippable["entry"]>;
  inflight: Promise<void> | null;
}

/** How long one background pump keeps going (the next queue delivery starts another). */
const PUMP_BUDGET_MS = 25_000;
/** Sinks not heard of for this long (removed from the config) are forgotten once their buffer is empty. */
const IDLE_SINK_MS = 10 * 60_000;

const sinks = new Map<string, SinkState & { lastSeenMs: number }>();
let metrics: { registry: MetricsRegistry; flusher: MetricsFlusher } | null = null;
let pumping: Promise<void> | null = null;

function isolateMetrics() {
  metrics ??= (() => {
    const registry = createRegistry(`telemetry-${crypto.randomUUID()}`);
    return { registry, flusher: new MetricsFlusher(registry) };
  })();
  return metrics;
}

function options(sink: TelemetrySinkModel): BatchOptions {
  // A send that outlives its own timeout by a margin is considered lost (the isolate may have been evicted).
  return { maxEntries: sink.batch.maxEntries, maxDelayMs: sink.batch.maxDelayMs, sendTimeoutMs: sink.timeoutMs * 2 };
}

function stateFor(sink: TelemetrySinkModel, nowMs: number): SinkState {
  let state = sinks.get(sink.id);
  if (state === undefined) {
    state = { sink, buffer: createBuffer(sink.bufferEntries), inflight: null, lastSeenMs: nowMs };
    sinks.set(sink.id, state);
  }
  // The newest config wins (endpoint, headers, batching); the buffer and its backoff carry over.
  state.sink = sink;
  state.buffer.capacity = sink.bufferEntries;
  state.lastSeenMs = nowMs;
  return state;
}

/** Sent and dropped counts since the last call, into the metrics registry. */
function reportStats(state: SinkState): void {
  const stats = takeStats(state.buffer);
  const { registry } = isolateMetrics();
  for (const kind of ["log", "span"] as const) {
    inc(registry, "mesh_telemetry_sent_total", { sink: state.sink.id, kind }, stats.sent[kind]);
    inc(registry, "mesh_telemetry_dropped_total", { sink: state.sink.id, kind }, stats.dropped[kind]);
  }
}

/** Puts a shipment's entries in their sinks' buffers (the oldest are dropped, and counted, beyond capacity). */
export function accept(shipment: Shipment, nowMs: number): void {
  const states = shipment.sinks.map((sink) => stateFor(sink, nowMs));
  for (const item of shipment.items) {
    if (item.kind === "request") {
      // Format 2: each entry derived once, whatever the number of sinks it goes to.
      if (item.logTo.length > 0) {
        const entry = accessLogFromRecord(item.record);
        for (const to of item.logTo) enqueue(states[to]!.buffer, [{ kind: "log", entry }], nowMs);
      }
      if (item.spanTo.length > 0) {
        const entry = spanFromRecord(item.record);
        for (const to of item.spanTo) enqueue(states[to]!.buffer, [{ kind: "span", entry }], nowMs);
      }
      continue;
    }
    for (const to of item.to) {
      const state = states[to]!;
      enqueue(state.buffer, [{ kind: item.kind, entry: item.entry }], nowMs);
    }
  }
  for (const state of states) reportStats(state);
}

/** The body of the shipper's wake-up message to itself (not a shipment). */
const WAKE_UP = '{"flaremesh":"wake-up"}';
/** Longest delay of a wake-up: a sink's retry backoff is at most 30 s. */
const MAX_WAKE_DELAY_S = 60;
/** When the pending wake-up message is due (ms since the epoch), so that one at a time is outstanding. */
let wakeUpAt = 0;

export function isWakeUp(body: unknown): boolean {
  return body === WAKE_UP;
}

/** Starts the pump unless it runs, and keeps the invocation alive for it; metrics flush in the background too. */
export function kick(env: ShipperEnv, exec: Pick<ExecutionContext, "waitUntil">): void {
  pumping ??= pump(env, exec)
    .then(() => scheduleWakeUp(env))
    .finally(() => {
      pumping = null;
    });
  exec.waitUntil(pumping);
  flushMetrics(env, exec);
}

function flushMetrics(env: ShipperEnv, exec: Pick<ExecutionContext, "waitUntil">): void {
  const { flusher } = isolateMetrics();
  flusher.schedule(exec, (delta) => env.CONTROL.reportMetrics(delta));
}

/** `TELEMETRY_PUMP_BUDGET_MS` (a var; tests shorten it) or the default. */
function pumpBudgetMs(env: ShipperEnv): number {
  const configured = Number(env.TELEMETRY_PUMP_BUDGET_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : PUMP_BUDGET_MS;
}

async function pump(env: ShipperEnv, exec: Pick<ExecutionContext, "waitUntil">): Promise<void> {
  const deadline = Date.now() + pumpBudgetMs(env);
  for (;;) {
    const now = Date.now();
    for (const state of sinks.values()) {
      if (state.inflight !== null) continue;
      const batch = takeBatch(state.buffer, now, options(state.sink));
      if (batch === null) continue;
      const entries = batch.entries.map((e) => ({ kind: e.kind, entry: e.entry }) as Shippable);
      state.inflight = sendToSink(state.sink, entries, env)
        .catch(() => "retry" as const)
        .then((result) => {
          onSendResult(state.buffer, batch, result, Date.now(), Math.random());
          reportStats(state);
          flushMetrics(env, exec);
        })
        .finally(() => {
          state.inflight = null;
        });
    }
    const inflight = [...sinks.values()].flatMap((s) => (s.inflight ? [s.inflight] : []));
    const wakes = [...sinks.values()].flatMap((s) => {
      if (s.inflight) return [];
      const at = nextWakeAt(s.buffer, options(s.sink));
      return at === null ? [] : [at];
    });
    if (inflight.length === 0 && wakes.length === 0) break;
    if (Date.now() >= deadline) {
      await Promise.all(inflight);
      break;
    }
    const wakeAt = Math.min(deadline, ...wakes);
    await Promise.race([sleep(Math.max(5, wakeAt - Date.now())), ...inflight]);
  }
  forgetIdle(Date.now());
}

/**
 * A pump runs at most `PUMP_BUDGET_MS` after the delivery that started it. If entries still wait (a sink is down
 * and backing off), a delayed message to the shipper's own queue starts the next pump when they are due — without
 * it they would wait for the next telemetry to arrive, however long the mesh stays idle.
 */
async function scheduleWakeUp(env: ShipperEnv): Promise<void> {
  const now = Date.now();
  let due: number | null = null;
  for (const state of sinks.values()) {
    if (state.buffer.queue.length === 0 && state.buffer.inFlight === null) continue;
    const at = nextWakeAt(state.buffer, options(state.sink)) ?? now;
    due = due === null ? at : Math.min(due, at);
  }
  if (due === null || env.TELEMETRY_QUEUE === undefined) return;
  const delaySeconds = Math.min(MAX_WAKE_DELAY_S, Math.max(1, Math.ceil((due - now) / 1000)));
  // One outstanding wake-up is enough when it comes in time.
  if (wakeUpAt > now && wakeUpAt <= now + delaySeconds * 1000 + 1000) return;
  try {
    await env.TELEMETRY_QUEUE.send(WAKE_UP, { contentType: "text", delaySeconds });
    wakeUpAt = now + delaySeconds * 1000;
  } catch (err) {
    console.warn("flaremesh-telemetry: could not schedule a wake-up:", err instanceof Error ? err.message : err);
  }
}

function forgetIdle(nowMs: number): void {
  for (const [id, state] of sinks) {
    if (nowMs - state.lastSeenMs > IDLE_SINK_MS && state.buffer.queue.length === 0 && state.inflight === null) {
      sinks.delete(id);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
