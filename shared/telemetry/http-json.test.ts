import { describe, expect, it } from "vitest";
import { encodeHttpJson } from "./http-json";

describe("encodeHttpJson", () => {
  it.each([
    ["json", '{"entries":[{"a":1},{"b":"x\\ny"}]}', "application/json"],
    ["ndjson", '{"a":1}\n{"b":"x\\ny"}\n', "application/x-ndjson"],
  ] as const)("%s", (format, body, contentType) => {
    expect(encodeHttpJson([{ a: 1 }, { b: "x\ny" }], format)).toEqual({ body, contentType });
  });

  it("keeps one entry per NDJSON line", () => {
    const { body } = encodeHttpJson([{ n: 1 }, { n: 2 }], "ndjson");
    const lines = body.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
