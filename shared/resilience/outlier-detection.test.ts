// Outlier detection: consecutive-error ejection, growth and decay, the maxEjectionPercent cap,
// the half-open single probe, and panic mode.
import { describe, expect, it } from "vitest";
import { OutlierDetectionModel } from "../model/resilience";
import type { TryOutcome } from "./outcome";
import {
  abandonProbe,
  availableEndpoints,
  createOutlierState,
  ejectionDurationMs,
  endpointStatus,
  recordResult,
  syncEndpoints,
  type OutlierState,
} from "./outlier-detection";

const cfg = (over: Partial<OutlierDetectionModel> = {}) =>
  OutlierDetectionModel.parse({ maxEjectionPercent: 100, ...over });
const S503: TryOutcome = { status: 503, delivered: "yes" };
const S500: TryOutcome = { status: 500, delivered: "yes" };
const OK: TryOutcome = { status: 200, delivered: "yes" };
const LOST: TryOutcome = { failure: "connect-failure", delivered: "unknown" };

const fail = (s: OutlierState, id: string, n: number, t: number, c: OutlierDetectionModel, o: TryOutcome = S503) => {
  let last = {};
  for (let i = 0; i < n; i++) last = recordResult(s, id, o, t, c);
  return last;
};

describe("defaults", () => {
  it("are Istio's: 5 consecutive 5xx, 10 s interval, 30 s base ejection, 10 %, gateway detector off", () => {
    expect(OutlierDetectionModel.parse({})).toEqual({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 0,
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionTimeMs: 300_000,
      maxEjectionPercent: 10,
      minHealthPercent: 0,
      alwaysEjectOne: false,
    });
  });
});

describe("recordResult", () => {
  it("ejects on the 5th consecutive 5xx, not before; a success in between resets the count", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg();
    expect(fail(s, "a", 4, 0, c)).toEqual({});
    expect(recordResult(s, "a", OK, 0, c)).toEqual({});
    expect(fail(s, "a", 4, 0, c)).toEqual({});
    expect(recordResult(s, "a", S500, 0, c)).toEqual({ ejected: "a" });
    expect(endpointStatus(s, "a", 29_999, c)).toBe("ejected");
    expect(endpointStatus(s, "a", 30_000, c)).toBe("half-open");
  });

  it("counts connection failures and timeouts; ignores overflow and cancellation", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 2 });
    for (const o of [
      { failure: "overflow", delivered: "no" },
      { failure: "cancelled", delivered: "unknown" },
    ] as TryOutcome[]) {
      expect(recordResult(s, "a", o, 0, c)).toEqual({});
    }
    expect(s.endpoints.get("a")!.consecutive5xx).toBe(0);
    recordResult(s, "a", LOST, 0, c);
    expect(recordResult(s, "a", { failure: "timeout", timedOut: "per-try", delivered: "unknown" }, 0, c)).toEqual({
      ejected: "a",
    });
    // A request-deadline timeout is the endpoint holding the try too long as well.
    recordResult(s, "b", { failure: "timeout", timedOut: "request", delivered: "unknown" }, 0, c);
    expect(s.endpoints.get("b")!.consecutive5xx).toBe(1);
  });

  it("gateway detector: 502/503/504 count, a 500 resets it", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 });
    fail(s, "a", 2, 0, c, S503);
    recordResult(s, "a", S500, 0, c);
    expect(fail(s, "a", 2, 0, c, { status: 502, delivered: "yes" })).toEqual({});
    expect(recordResult(s, "a", { status: 504, delivered: "yes" }, 0, c)).toEqual({ ejected: "a" });
  });

  it("a 0 threshold disables its detector", () => {
    const s = createOutlierState(["a", "b"]);
    expect(fail(s, "a", 50, 0, cfg({ consecutive5xxErrors: 0 }))).toEqual({});
  });

  it("ignores late results for an ejected endpoint and unknown endpoints", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c);
    expect(recordResult(s, "a", S503, 1_000, c)).toEqual({});
    expect(s.endpoints.get("a")!.ejectionCount).toBe(1);
    expect(recordResult(s, "zzz", S503, 0, c)).toEqual({});
  });
});

describe("ejection time", () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 90_000],
    [10, 300_000],
    [11, 300_000],
  ])("ejection #%d lasts %d ms (base × n, capped at 300 s)", (n, ms) => expect(ejectionDurationMs(n, cfg())).toBe(ms));

  it("the cap is never below the base ejection time", () => {
    expect(ejectionDurationMs(3, cfg({ baseEjectionTimeMs: 400_000, maxEjectionTimeMs: 1_000 }))).toBe(400_000);
  });

  it("grows with each failed probe and decays by one ejection per healthy interval", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c); // ejected until 30 s
    let t = 30_000;
    for (const expected of [60_000, 90_000, 120_000]) {
      expect(availableEndpoints(s, ["a", "b"], t, c).probe).toBe("a");
      expect(recordResult(s, "a", S503, t, c)).toEqual({ ejected: "a" });
      expect(s.endpoints.get("a")!.ejectedUntilMs).toBe(t + expected);
      t += expected;
    }
    expect(availableEndpoints(s, ["a", "b"], t, c).probe).toBe("a");
    expect(recordResult(s, "a", OK, t, c)).toEqual({ recovered: "a" });
    expect(s.endpoints.get("a")!.ejectionCount).toBe(4);
    // Two healthy intervals later the multiplier has dropped by two: next ejection lasts 3 × 30 s.
    recordResult(s, "a", S503, t + 20_000, c);
    expect(s.endpoints.get("a")!.ejectedUntilMs).toBe(t + 20_000 + 90_000);
  });
});

describe("maxEjectionPercent", () => {
  it.each([
    [10, 10, 1],
    [10, 9, 0],
    [10, 20, 2],
    [50, 4, 2],
    [34, 3, 1],
    [100, 3, 3],
    [0, 5, 0],
  ])("%d %% of %d endpoints → at most %d ejected", (pct, n, max) => {
    const ids = Array.from({ length: n }, (_, i) => `e${i}`);
    const s = createOutlierState(ids);
    const c = cfg({ maxEjectionPercent: pct, consecutive5xxErrors: 1 });
    for (const id of ids) recordResult(s, id, S503, 0, c);
    expect(ids.filter((id) => endpointStatus(s, id, 1, c) === "ejected").length).toBe(max);
  });

  it("alwaysEjectOne allows a single ejection below the percentage, never two", () => {
    const s = createOutlierState(["a", "b", "c"]);
    const c = cfg({ maxEjectionPercent: 10, consecutive5xxErrors: 1, alwaysEjectOne: true });
    expect(recordResult(s, "a", S503, 0, c)).toEqual({ ejected: "a" });
    expect(recordResult(s, "b", S503, 0, c)).toEqual({});
  });

  it("an endpoint blocked by the cap is ejected on its next error once room frees up", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ maxEjectionPercent: 50, consecutive5xxErrors: 2 });
    fail(s, "a", 2, 0, c);
    expect(fail(s, "b", 2, 0, c)).toEqual({});
    availableEndpoints(s, ["a", "b"], 30_000, c);
    recordResult(s, "a", OK, 30_000, c);
    expect(recordResult(s, "b", S503, 30_001, c)).toEqual({ ejected: "b" });
  });
});

describe("availableEndpoints", () => {
  it("excludes ejected endpoints and those failing health checks", () => {
    const s = createOutlierState(["a", "b", "c"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c);
    expect(availableEndpoints(s, ["a", "b", "c"], 1, c, new Set(["c"]))).toEqual({
      ids: ["b"],
      probe: null,
      panic: false,
    });
  });

  it("a half-open endpoint gets exactly one probe; others wait for its result", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c);
    expect(availableEndpoints(s, ["a", "b"], 30_000, c)).toEqual({ ids: ["b"], probe: "a", panic: false });
    expect(availableEndpoints(s, ["a", "b"], 30_001, c)).toEqual({ ids: ["b"], probe: null, panic: false });
    expect(endpointStatus(s, "a", 30_001, c)).toBe("probing");
    expect(recordResult(s, "a", OK, 30_002, c)).toEqual({ recovered: "a" });
    expect(availableEndpoints(s, ["a", "b"], 30_003, c)).toEqual({ ids: ["a", "b"], probe: null, panic: false });
  });

  it("a probe that never reports back is handed out again after one interval; abandonProbe frees it at once", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c);
    expect(availableEndpoints(s, ["a", "b"], 30_000, c).probe).toBe("a");
    expect(availableEndpoints(s, ["a", "b"], 39_999, c).probe).toBeNull();
    expect(availableEndpoints(s, ["a", "b"], 40_000, c).probe).toBe("a");
    abandonProbe(s, "a");
    expect(availableEndpoints(s, ["a", "b"], 40_001, c).probe).toBe("a");
  });

  it("fails open to every endpoint when nothing would remain (panic)", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c);
    recordResult(s, "b", S503, 0, c);
    expect(availableEndpoints(s, ["a", "b"], 1, c)).toEqual({ ids: ["a", "b"], probe: null, panic: true });
    expect(availableEndpoints(s, ["a"], 1, c, new Set())).toEqual({ ids: ["a"], probe: null, panic: true });
    const fresh = createOutlierState(["x"]);
    expect(availableEndpoints(fresh, ["x"], 0, c, new Set(["x"]))).toEqual({ ids: ["x"], probe: null, panic: true });
  });

  it("minHealthPercent: below it, route to all", () => {
    const s = createOutlierState(["a", "b", "c", "d"]);
    const c = cfg({ consecutive5xxErrors: 1, minHealthPercent: 60 });
    recordResult(s, "a", S503, 0, c);
    expect(availableEndpoints(s, ["a", "b", "c", "d"], 1, c).panic).toBe(false);
    recordResult(s, "b", S503, 0, c);
    expect(availableEndpoints(s, ["a", "b", "c", "d"], 1, c)).toEqual({
      ids: ["a", "b", "c", "d"],
      probe: null,
      panic: true,
    });
  });

  it("endpoints not in the state are treated as healthy", () => {
    const s = createOutlierState([]);
    expect(availableEndpoints(s, ["new"], 0, cfg())).toEqual({ ids: ["new"], probe: null, panic: false });
  });
});

describe("syncEndpoints", () => {
  it("keeps the history of endpoints that stay and forgets removed ones", () => {
    const s = createOutlierState(["a", "b"]);
    const c = cfg({ consecutive5xxErrors: 1 });
    recordResult(s, "a", S503, 0, c);
    syncEndpoints(s, ["a", "c"]);
    expect([...s.endpoints.keys()].sort()).toEqual(["a", "c"]);
    expect(endpointStatus(s, "a", 1, c)).toBe("ejected");
  });
});
