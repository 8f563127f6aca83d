// Timeout precedence, per-try bound, deadlines and which timer to arm.
import { describe, expect, it } from "vitest";
import { remainingBudget, requestDeadline, resolveTimeouts, tryTimeout, type TimeoutSources } from "./timeouts";

describe("resolveTimeouts", () => {
  it.each<[string, TimeoutSources, { requestMs: number | null; perTryMs: number | null }]>([
    ["nothing set: no timeout (Istio)", {}, { requestMs: null, perTryMs: null }],
    ["mesh default", { meshMs: 15_000 }, { requestMs: 15_000, perTryMs: null }],
    ["TrafficPolicy beats mesh", { serviceMs: 3_000, meshMs: 15_000 }, { requestMs: 3_000, perTryMs: null }],
    ["route beats both", { routeMs: 500, serviceMs: 3_000, meshMs: 15_000 }, { requestMs: 500, perTryMs: null }],
    [
      "route 0 disables, no fall-back",
      { routeMs: 0, serviceMs: 3_000, meshMs: 15_000 },
      { requestMs: null, perTryMs: null },
    ],
    ["service 0 disables the mesh default", { serviceMs: 0, meshMs: 15_000 }, { requestMs: null, perTryMs: null }],
    [
      "first positive per-try wins",
      { routeMs: 10_000, perTryMs: [undefined, 0, 2_000, 500] },
      { requestMs: 10_000, perTryMs: 2_000 },
    ],
    [
      "per-try never exceeds the request timeout",
      { routeMs: 1_000, perTryMs: [5_000] },
      { requestMs: 1_000, perTryMs: 1_000 },
    ],
    ["per-try alone", { perTryMs: [250] }, { requestMs: null, perTryMs: 250 }],
  ])("%s", (_name, sources, expected) => expect(resolveTimeouts(sources)).toEqual(expected));
});

describe("deadlines", () => {
  it("requestDeadline / remainingBudget", () => {
    expect(requestDeadline(1_000, { requestMs: 500, perTryMs: null })).toBe(1_500);
    expect(requestDeadline(1_000, { requestMs: null, perTryMs: 100 })).toBeNull();
    expect(remainingBudget(1_500, 1_200)).toBe(300);
    expect(remainingBudget(1_500, 2_000)).toBe(0);
    expect(remainingBudget(null, 2_000)).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    [{ requestMs: 1_000, perTryMs: 300 }, 0, { ms: 300, cause: "per-try" }],
    [{ requestMs: 1_000, perTryMs: 300 }, 800, { ms: 200, cause: "request" }],
    [{ requestMs: 1_000, perTryMs: 300 }, 700, { ms: 300, cause: "request" }],
    [{ requestMs: 1_000, perTryMs: null }, 100, { ms: 900, cause: "request" }],
    [{ requestMs: null, perTryMs: 300 }, 100, { ms: 300, cause: "per-try" }],
    [{ requestMs: null, perTryMs: null }, 100, null],
  ] as const)("%j at +%d ms → %j", (t, elapsed, expected) => {
    const deadline = requestDeadline(0, t);
    expect(tryTimeout(t, deadline, elapsed)).toEqual(expected);
  });
});
