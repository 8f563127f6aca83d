// Ejection reports from proxies: merged per endpoint (later end wins), malformed input ignored, bounded.
import { describe, expect, it } from "vitest";
import { liveEjections, mergeReport, type EjectionTable } from "./ejections";

const NOW = 1_000_000;

describe("mergeReport", () => {
  it("keeps the later end per endpoint and the larger ejection count", () => {
    const table: EjectionTable = new Map();
    expect(
      mergeReport(table, { "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW + 5_000, ejectionCount: 2 }] }, NOW),
    ).toBe(1);
    expect(
      mergeReport(table, { "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW + 1_000, ejectionCount: 1 }] }, NOW),
    ).toBe(0);
    expect(
      mergeReport(table, { "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW + 9_000, ejectionCount: 1 }] }, NOW),
    ).toBe(1);
    expect(liveEjections(table, NOW)).toEqual({
      "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW + 9_000, ejectionCount: 2 }],
    });
  });

  it.each([
    ["not an object", "nope"],
    ["an array", []],
    ["a list that is not a list", { "default/a": "e1" }],
    ["an ejection missing fields", { "default/a": [{ endpointId: "e1" }] }],
    ["an unknown field", { "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW + 1, ejectionCount: 1, x: 1 }] }],
    ["an expired ejection", { "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW, ejectionCount: 1 }] }],
  ])("ignores %s", (_, report) => {
    const table: EjectionTable = new Map();
    expect(mergeReport(table, report, NOW)).toBe(0);
    expect(liveEjections(table, NOW)).toEqual({});
  });

  it("caps an ejection at 300 s and forgets it once over", () => {
    const table: EjectionTable = new Map();
    mergeReport(table, { "default/a": [{ endpointId: "e1", ejectedUntilMs: NOW + 10 ** 9, ejectionCount: 1 }] }, NOW);
    expect(liveEjections(table, NOW)["default/a"]?.[0]?.ejectedUntilMs).toBe(NOW + 300_000);
    expect(liveEjections(table, NOW + 300_000)).toEqual({});
    expect(table.size).toBe(0);
  });
});
