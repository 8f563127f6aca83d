import { describe, expect, it } from "vitest";
import { durationToMs, isDuration, parseDuration } from "./duration";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1h0m0s", 3_600_000],
    ["10us", 0.01],
    ["10µs", 0.01],
    ["100ns", 0.0001],
    ["0", 0],
    ["0s", 0],
    [".5s", 500],
    ["1.s", 1000],
    ["+3s", 3000],
    ["1m30.5s", 90_500],
  ])("%s → %d ms", (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
    expect(isDuration(text)).toBe(true);
  });

  it.each([
    "",
    "10",
    "1.5",
    "s",
    "-1s",
    "1d",
    "1 s",
    "1S",
    "1sm",
    "1h 30m",
    "ms",
    "1e3s",
    "abc",
    "NaN",
    "10m-5s",
    "9".repeat(70) + "h",
  ])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(isDuration(text)).toBe(false);
  });

  it("rejects durations beyond Go's limit", () => {
    expect(parseDuration("3000000h")).toBeUndefined();
  });
});

describe("durationToMs", () => {
  it.each([
    ["250ms", 250],
    ["1.5s", 1500],
    ["10us", 1], // rounded up: a sub-millisecond timeout never becomes "no timeout"
    ["0s", 0],
  ])("%s → %d", (text, ms) => expect(durationToMs(text)).toBe(ms));

  it("throws on invalid input", () => expect(() => durationToMs("soon")).toThrow(RangeError));
});
