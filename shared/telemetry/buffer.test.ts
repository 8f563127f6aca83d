import { describe, expect, it } from "vitest";
import {
  backoffMs,
  classifyStatus,
  createBuffer,
  enqueue,
  nextWakeAt,
  onSendResult,
  takeBatch,
  takeStats,
  type ShipBuffer,
} from "./buffer";

const opts = { maxEntries: 3, maxDelayMs: 1_000 };
const logs = (...ids: number[]) => ids.map((id) => ({ kind: "log" as const, entry: id }));
const ids = (buf: ShipBuffer<number>) => buf.queue.map((e) => e.entry);

describe("enqueue", () => {
  it("drops the oldest entries beyond capacity and counts them by kind", () => {
    const buf = createBuffer<number>(3);
    expect(enqueue(buf, logs(1, 2), 0)).toBe(0);
    expect(enqueue(buf, [...logs(3), { kind: "span", entry: 4 }, { kind: "span", entry: 5 }], 0)).toBe(2);
    expect(ids(buf)).toEqual([3, 4, 5]);
    expect(buf.totals.dropped).toEqual({ log: 2, span: 0 });
  });
});

describe("takeBatch", () => {
  it.each<[string, number[], number, number[] | null]>([
    ["waits while neither full nor old", [1, 2], 999, null],
    ["sends when the oldest waited maxDelay", [1, 2], 1_000, [1, 2]],
    ["sends a full batch at once", [1, 2, 3, 4], 0, [1, 2, 3]],
    ["sends nothing when empty", [], 5_000, null],
  ])("%s", (_name, entries, now, expected) => {
    const buf = createBuffer<number>(10);
    enqueue(buf, logs(...entries), 0);
    const batch = takeBatch(buf, now, opts);
    expect(batch ? batch.entries.map((e) => e.entry) : null).toEqual(expected);
  });

  it("keeps one batch in flight at a time", () => {
    const buf = createBuffer<number>(10);
    enqueue(buf, logs(1, 2, 3, 4, 5, 6), 0);
    const first = takeBatch(buf, 0, opts)!;
    expect(takeBatch(buf, 0, opts)).toBeNull();
    onSendResult(buf, first, true, 10, 0);
    expect(takeBatch(buf, 10, opts)!.entries.map((e) => e.entry)).toEqual([4, 5, 6]);
  });
});

describe("onSendResult", () => {
  it("counts a delivered batch as sent", () => {
    const buf = createBuffer<number>(10);
    enqueue(buf, [...logs(1, 2), { kind: "span", entry: 3 }], 0);
    onSendResult(buf, takeBatch(buf, 0, opts)!, "ok", 5, 0);
    expect(buf.totals.sent).toEqual({ log: 2, span: 1 });
    expect(buf.queue).toEqual([]);
  });

  it("requeues a failed batch at the front, in order, and backs off", () => {
    const buf = createBuffer<number>(10);
    enqueue(buf, logs(1, 2, 3), 0);
    const batch = takeBatch(buf, 0, opts)!;
    enqueue(buf, logs(4), 1);
    onSendResult(buf, batch, false, 100, 0);
    expect(ids(buf)).toEqual([1, 2, 3, 4]);
    expect(buf.nextAttemptAt).toBe(100 + 250); // base 500, first failure, equal jitter with random 0
    expect(takeBatch(buf, 349, opts)).toBeNull();
    const retry = takeBatch(buf, 350, opts)!;
    expect(retry.entries.map((e) => [e.entry, e.attempts])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(buf.totals.retried).toBe(3);
    onSendResult(buf, retry, true, 400, 0);
    expect(buf.totals.sent.log).toBe(3);
    expect(buf.nextAttemptAt).toBe(0);
  });

  it("keeps the requeue within capacity by dropping the oldest", () => {
    const buf = createBuffer<number>(4);
    enqueue(buf, logs(1, 2, 3), 0);
    const batch = takeBatch(buf, 0, opts)!;
    enqueue(buf, logs(4, 5, 6), 1);
    onSendResult(buf, batch, "retry", 2, 0);
    expect(ids(buf)).toEqual([3, 4, 5, 6]);
    expect(buf.totals.dropped.log).toBe(2);
  });

  it("drops a batch the sink rejects, without backoff", () => {
    const buf = createBuffer<number>(10);
    enqueue(buf, logs(1), 0);
    onSendResult(buf, takeBatch(buf, 1_000, opts)!, "reject", 1_000, 0);
    expect(buf.totals.dropped.log).toBe(1);
    expect(buf.nextAttemptAt).toBe(0);
  });

  it("drops entries after maxAttempts sends", () => {
    const buf = createBuffer<number>(10);
    enqueue(buf, logs(1), 0);
    let now = 1_000;
    for (let i = 0; i < 3; i++) {
      const batch = takeBatch(buf, now, opts)!;
      onSendResult(buf, batch, "retry", now, 0, { maxAttempts: 3 });
      now += 60_000;
    }
    expect(buf.queue).toEqual([]);
    expect(buf.totals).toMatchObject({ dropped: { log: 1, span: 0 }, retried: 2 });
  });

  it("ignores the answer for a batch that already timed out, and retries it", () => {
    const buf = createBuffer<number>(10);
    enqueue(buf, logs(1), 0);
    const batch = takeBatch(buf, 1_000, { ...opts, sendTimeoutMs: 5_000 })!;
    expect(takeBatch(buf, 5_999, { ...opts, sendTimeoutMs: 5_000 })).toBeNull();
    expect(takeBatch(buf, 6_000, { ...opts, sendTimeoutMs: 5_000 })).toBeNull(); // timed out: requeued, backing off
    expect(ids(buf)).toEqual([1]);
    onSendResult(buf, batch, "ok", 6_001, 0);
    expect(buf.totals.sent.log).toBe(0);
    const again = takeBatch(buf, 60_000, opts)!;
    expect(again.id).not.toBe(batch.id);
  });
});

describe("backoffMs", () => {
  it.each([
    [1, 0, 250],
    [1, 1, 500],
    [2, 0.5, 750],
    [4, 0, 2_000],
    [20, 1, 30_000], // capped
  ])("failure %i, random %s → %i ms", (failures, random, ms) => {
    expect(backoffMs(failures, random)).toBe(ms);
  });
});

describe("nextWakeAt and takeStats", () => {
  it("tells when a batch will be due", () => {
    const buf = createBuffer<number>(10);
    expect(nextWakeAt(buf, opts)).toBeNull();
    enqueue(buf, logs(1), 200);
    expect(nextWakeAt(buf, opts)).toBe(1_200);
    enqueue(buf, logs(2, 3), 300);
    expect(nextWakeAt(buf, opts)).toBe(0);
    const batch = takeBatch(buf, 300, opts)!;
    expect(nextWakeAt(buf, opts)).toBe(30_300);
    onSendResult(buf, batch, "retry", 400, 1);
    expect(nextWakeAt(buf, opts)).toBe(900);
  });

  it("reports increments once", () => {
    const buf = createBuffer<number>(1);
    enqueue(buf, logs(1, 2), 0);
    expect(takeStats(buf)).toEqual({ sent: { log: 0, span: 0 }, dropped: { log: 1, span: 0 }, retried: 0 });
    expect(takeStats(buf).dropped.log).toBe(0);
    expect(buf.totals.dropped.log).toBe(1);
  });
});

describe("classifyStatus", () => {
  it.each([
    [200, "ok"],
    [204, "ok"],
    [400, "reject"],
    [401, "reject"],
    [413, "reject"],
    [408, "retry"],
    [429, "retry"],
    [500, "retry"],
    [503, "retry"],
    [0, "retry"],
  ])("%i → %s", (status, result) => {
    expect(classifyStatus(status)).toBe(result);
  });
});
