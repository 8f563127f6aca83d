// Circuit breaker state machine: active slots, pending queue, overflow at exactly the limits.
import { describe, expect, it } from "vitest";
import { cancel, createLimiter, release, setLimits, tryAcquire } from "./concurrency-limiter";

describe("tryAcquire", () => {
  it("max 2 active, 1 pending: the 3rd request waits, the 4th overflows", () => {
    const s = createLimiter({ maxConcurrentRequests: 2, maxPendingRequests: 1 });
    expect(tryAcquire(s)).toEqual({ decision: "active" });
    expect(tryAcquire(s)).toEqual({ decision: "active" });
    expect(tryAcquire(s)).toEqual({ decision: "queued", ticket: 1 });
    expect(tryAcquire(s)).toEqual({ decision: "overflow" });
    expect(s.active).toBe(2);
    expect(s.queue.size).toBe(1);
  });

  it.each([
    [{}, 100, 0],
    [{ maxConcurrentRequests: 1 }, 100, 0],
    [{ maxConcurrentRequests: 1, maxPendingRequests: 0 }, 5, 4],
    [{ maxConcurrentRequests: 3, maxPendingRequests: 2 }, 10, 5],
    [{ maxPendingRequests: 0 }, 50, 0],
  ])("%j: %d simultaneous requests → %d overflow", (limits, n, overflow) => {
    const s = createLimiter(limits);
    const results = Array.from({ length: n }, () => tryAcquire(s).decision);
    expect(results.filter((d) => d === "overflow").length).toBe(overflow);
  });

  it("Istio's circuit-breaking task shape (maxConnections 1, http1MaxPendingRequests 1)", () => {
    const s = createLimiter({ maxConcurrentRequests: 1, maxPendingRequests: 1 });
    expect([tryAcquire(s), tryAcquire(s), tryAcquire(s)].map((r) => r.decision)).toEqual([
      "active",
      "queued",
      "overflow",
    ]);
  });
});

describe("release", () => {
  it("hands the slot to the oldest waiter, FIFO", () => {
    const s = createLimiter({ maxConcurrentRequests: 1, maxPendingRequests: 5 });
    tryAcquire(s);
    const t1 = tryAcquire(s);
    const t2 = tryAcquire(s);
    expect(release(s)).toBe(t1.decision === "queued" ? t1.ticket : -1);
    expect(s.active).toBe(1);
    expect(release(s)).toBe(t2.decision === "queued" ? t2.ticket : -1);
    expect(release(s)).toBeNull();
    expect(s.active).toBe(0);
    expect(release(s)).toBeNull();
    expect(s.active).toBe(0);
  });

  it("does not let a newcomer overtake waiters", () => {
    const s = createLimiter({ maxConcurrentRequests: 1, maxPendingRequests: 5 });
    tryAcquire(s);
    tryAcquire(s);
    s.active = 0; // a slot looks free while someone waits
    expect(tryAcquire(s).decision).toBe("queued");
  });

  it("a cancelled waiter is skipped; cancelling a promoted ticket says so", () => {
    const s = createLimiter({ maxConcurrentRequests: 1, maxPendingRequests: 5 });
    tryAcquire(s);
    const a = tryAcquire(s);
    const b = tryAcquire(s);
    if (a.decision !== "queued" || b.decision !== "queued") throw new Error("expected tickets");
    expect(cancel(s, a.ticket)).toBe(true);
    expect(release(s)).toBe(b.ticket);
    expect(cancel(s, b.ticket)).toBe(false);
  });
});

describe("setLimits", () => {
  it("raising the limit wakes waiters at once; lowering it waits for requests to finish", () => {
    const s = createLimiter({ maxConcurrentRequests: 1, maxPendingRequests: 10 });
    tryAcquire(s);
    tryAcquire(s);
    tryAcquire(s);
    expect(setLimits(s, { maxConcurrentRequests: 3, maxPendingRequests: 10 })).toEqual([1, 2]);
    expect(s.active).toBe(3);
    expect(setLimits(s, { maxConcurrentRequests: 1, maxPendingRequests: 0 })).toEqual([]);
    expect(tryAcquire(s).decision).toBe("overflow");
    expect(release(s)).toBeNull();
    expect(release(s)).toBeNull();
    expect(s.active).toBe(1);
    expect(tryAcquire(s).decision).toBe("overflow");
    release(s);
    expect(tryAcquire(s).decision).toBe("active");
  });
});
