// Tests of the ProxyApi's isolate cache and heartbeat batching (pure classes; time is an argument).
import { describe, expect, it } from "vitest";
import { HeartbeatBuffer } from "./heartbeat-buffer";
import { SnapshotCache, cacheMs } from "./snapshot-cache";

const beat = (proxyId: string, servedRevision: number | null) => ({
  proxyId,
  worker: "w",
  servedRevision,
  lastSeen: "2026-01-01T00:00:00.000Z",
});

describe("SnapshotCache", () => {
  it("loads once for concurrent callers and reuses the entry within the TTL", async () => {
    let loads = 0;
    const cache = new SnapshotCache<{ revision: number }>();
    const load = async () => ({ revision: ++loads });
    const [a, b] = await Promise.all([cache.get(load, 1000, 250), cache.get(load, 1000, 250)]);
    expect(a).toEqual(b);
    expect(loads).toBe(1);
    await cache.get(load, 1200, 250);
    expect(loads).toBe(1);
    await cache.get(load, 1300, 250);
    expect(loads).toBe(2);
  });

  it("reloads when a caller has seen a newer revision, and after clear()", async () => {
    let revision = 1;
    const cache = new SnapshotCache<{ revision: number }>();
    const load = async () => ({ revision });
    await cache.get(load, 1000, 10_000);
    revision = 2;
    expect((await cache.get(load, 1010, 10_000, 2)).revision).toBe(1); // too soon after the last load
    expect((await cache.get(load, 1100, 10_000, 2)).revision).toBe(2);
    revision = 3;
    cache.clear();
    expect((await cache.get(load, 1100, 10_000)).revision).toBe(3);
  });

  it("hands the load its cached value, which an unchanged revision keeps", async () => {
    const cache = new SnapshotCache<{ revision: number }>();
    const seen: ({ revision: number } | undefined)[] = [];
    const load = async (cached: { revision: number } | undefined) => {
      seen.push(cached);
      return cached ?? { revision: 1 };
    };
    const first = await cache.get(load, 1000, 250);
    expect(await cache.get(load, 1300, 250)).toBe(first);
    expect(seen).toEqual([undefined, first]);
  });

  it.each([
    [undefined, 250],
    ["", 250],
    ["1000", 1000],
    ["0", 0],
    ["-5", 250],
    ["abc", 250],
    ["999999", 250],
  ])("cacheMs(%j) is %d", (value, expected) => {
    expect(cacheMs(value)).toBe(expected);
  });
});

describe("HeartbeatBuffer", () => {
  it("flushes at once for a new proxy or a changed revision, else at most once a second", async () => {
    const buffer = new HeartbeatBuffer();
    const sent: string[][] = [];
    const send = async (batch: { proxyId: string }[]) => void sent.push(batch.map((b) => b.proxyId));
    expect(buffer.record(beat("p", 1), 0)).toBe(true); // new
    await buffer.flush(send, 0);
    expect(buffer.record(beat("p", 1), 100)).toBe(false); // same revision, recent flush
    expect(buffer.record(beat("q", 1), 200)).toBe(true); // new proxy
    await buffer.flush(send, 200);
    expect(buffer.record(beat("p", 2), 300)).toBe(true); // revision changed
    await buffer.flush(send, 300);
    expect(buffer.record(beat("p", 2), 900)).toBe(false);
    expect(buffer.record(beat("p", 2), 1300)).toBe(true); // a second since the last flush
    expect(sent).toEqual([["p"], ["p", "q"], ["p"]]);
  });

  it("folds flush requests made during a flush into one more flush", async () => {
    const buffer = new HeartbeatBuffer();
    let release!: () => void;
    const batches: number[] = [];
    const send = (batch: unknown[]) => {
      batches.push(batch.length);
      return batches.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    };
    buffer.record(beat("a", 1), 0);
    const first = buffer.flush(send, 0);
    for (const id of ["b", "c", "d"]) {
      buffer.record(beat(id, 1), 1);
      void buffer.flush(send, 1);
    }
    release();
    await first;
    expect(batches).toEqual([1, 3]);
  });

  it("keeps heartbeats whose flush failed, to send them with the next one", async () => {
    const buffer = new HeartbeatBuffer();
    const sent: string[][] = [];
    buffer.record(beat("p", 1), 0);
    await buffer.flush(async () => Promise.reject(new Error("down")), 0);
    expect(buffer.record(beat("q", 1), 10)).toBe(true);
    await buffer.flush(async (batch) => void sent.push(batch.map((b) => b.proxyId)), 10);
    expect(sent).toEqual([["p", "q"]]);
    expect(buffer.record(beat("p", 1), 20)).toBe(false); // now known
  });
});
