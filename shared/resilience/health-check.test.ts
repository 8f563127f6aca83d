// Active health check state machine: thresholds, transitions, scheduling.
import { describe, expect, it } from "vitest";
import { createHealthCheckState, inRotation, nextProbeTime, probeSucceeded, recordProbe } from "./health-check";

const cfg = { intervalMs: 10_000, unhealthyThreshold: 3, healthyThreshold: 2 };

describe("recordProbe", () => {
  it("unknown endpoints are in rotation; the first success confirms them", () => {
    const s = createHealthCheckState(0);
    expect(inRotation(s)).toBe(true);
    expect(recordProbe(s, true, 0, cfg)).toEqual({ from: "unknown", to: "healthy" });
    expect(recordProbe(s, true, 10_000, cfg)).toBeNull();
  });

  it("leaves rotation after unhealthyThreshold consecutive failures, returns after healthyThreshold successes", () => {
    const s = createHealthCheckState(0);
    recordProbe(s, true, 0, cfg);
    const seq: [boolean, unknown][] = [
      [false, null],
      [false, null],
      [true, null], // resets the failure run
      [false, null],
      [false, null],
      [false, { from: "healthy", to: "unhealthy" }],
      [false, null],
      [true, null],
      [false, null], // resets the success run
      [true, null],
      [true, { from: "unhealthy", to: "healthy" }],
    ];
    seq.forEach(([ok, expected], i) => expect(recordProbe(s, ok, (i + 1) * 10_000, cfg)).toEqual(expected));
    expect(inRotation(s)).toBe(true);
  });

  it("an unknown endpoint that never answers leaves after unhealthyThreshold failures", () => {
    const s = createHealthCheckState(0);
    expect(recordProbe(s, false, 0, cfg)).toBeNull();
    expect(recordProbe(s, false, 1, cfg)).toBeNull();
    expect(recordProbe(s, false, 2, cfg)).toEqual({ from: "unknown", to: "unhealthy" });
    expect(inRotation(s)).toBe(false);
  });

  it("schedules the next probe one interval later; the alarm is the earliest", () => {
    const a = createHealthCheckState(1_000, 2_500);
    const b = createHealthCheckState(1_000);
    expect(a.nextProbeAtMs).toBe(3_500);
    recordProbe(b, true, 1_000, cfg);
    expect(b.nextProbeAtMs).toBe(11_000);
    expect(nextProbeTime([a, b])).toBe(3_500);
    expect(nextProbeTime([])).toBeNull();
  });

  it.each([
    [200, true],
    [204, true],
    [302, true],
    [399, true],
    [404, false],
    [500, false],
    [199, false],
    [null, false],
  ])("status %j counts as success: %s", (status, ok) => expect(probeSucceeded(status)).toBe(ok));
});
