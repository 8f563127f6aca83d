// Zone-aware preference: local endpoints when usable, every endpoint otherwise; indices never move.
import { describe, expect, it } from "vitest";
import { preferLocal, zonesOf } from "./locality";

const eps = [
  { id: "a", weight: 1, zone: "AMS" },
  { id: "b", weight: 2, zone: "AMS" },
  { id: "c", weight: 1, zone: "FRA" },
  { id: "d", weight: 1 },
];
const weights = (view: readonly { weight: number }[]) => view.map((e) => e.weight);

describe("preferLocal", () => {
  it.each([
    ["no caller zone", [], [1, 2, 1, 1]],
    ["caller in AMS", ["AMS"], [1, 2, 0, 0]],
    ["caller in FRA", ["FRA"], [0, 0, 1, 0]],
    ["colo or region: either zone counts", ["FRA", "Western Europe"], [0, 0, 1, 0]],
    ["a zone with no endpoint falls back to all", ["SIN"], [1, 2, 1, 1]],
  ])("%s", (_name, zones, expected) => {
    expect(weights(preferLocal(eps, zones))).toEqual(expected);
  });

  it("returns the list itself when nothing changes (no per-request copy)", () => {
    expect(preferLocal(eps, [])).toBe(eps);
    expect(preferLocal(eps, ["SIN"])).toBe(eps);
  });

  it("falls back to all zones when every local endpoint is unusable", () => {
    const usable = (i: number) => i !== 2;
    expect(weights(preferLocal(eps, ["FRA"], usable))).toEqual([1, 2, 1, 1]);
    expect(weights(preferLocal(eps, ["AMS"], (i) => i !== 0))).toEqual([1, 2, 0, 0]);
  });

  it("ignores local endpoints of weight 0", () => {
    const zeroLocal = [
      { id: "a", weight: 0, zone: "AMS" },
      { id: "b", weight: 1, zone: "FRA" },
    ];
    expect(weights(preferLocal(zeroLocal, ["AMS"]))).toEqual([0, 1]);
  });

  it("keeps ids and order so indices refer to the same endpoints", () => {
    expect(preferLocal(eps, ["AMS"]).map((e) => e.id)).toEqual(["a", "b", "c", "d"]);
  });
});

describe("zonesOf", () => {
  it("lists the zones endpoints name", () => expect([...zonesOf(eps)].sort()).toEqual(["AMS", "FRA"]));
  it("is empty without zones", () => expect(zonesOf([{ id: "x", weight: 1 }]).size).toBe(0));
});
