import { describe, expect, it } from "vitest";
import { uuidV4 } from "./uuid";

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidV4", () => {
  it.each([
    ["all zeros", 0x00, "00000000-0000-4000-8000-000000000000"],
    ["all ones", 0xff, "ffffffff-ffff-4fff-bfff-ffffffffffff"],
  ])("sets the version and variant bits over %s", (_name, fill, expected) => {
    expect(uuidV4((n) => new Uint8Array(n).fill(fill))).toBe(expected);
  });

  it("keeps every other bit of the random bytes, in order", () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    expect(uuidV4(() => bytes)).toBe("00112233-4455-4677-8899-aabbccddeeff");
  });

  it("has the RFC 9562 form and does not repeat with real randomness", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuidV4((n) => crypto.getRandomValues(new Uint8Array(n)))));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(FORMAT);
  });

  it("refuses a short draw", () => {
    expect(() => uuidV4(() => new Uint8Array(8))).toThrow(RangeError);
  });
});
