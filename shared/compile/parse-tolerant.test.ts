import { describe, expect, it } from "vitest";
import * as z from "zod";
import { parseDroppingInvalid } from "./parse-tolerant";

const Schema = z.strictObject({
  a: z.number().default(1),
  b: z.string().optional(),
  c: z.strictObject({ d: z.number().max(5) }).optional(),
});

describe("parseDroppingInvalid", () => {
  it.each([
    ["valid input is parsed with defaults", { b: "x" }, { a: 1, b: "x" }, []],
    ["an invalid nested field drops its top-level field", { b: "x", c: { d: 9 } }, { a: 1, b: "x" }, ["c"]],
    ["several invalid fields are all dropped", { a: "no", b: 2, c: { d: 1 } }, { a: 1, c: { d: 1 } }, ["a", "b"]],
    ["unknown fields are dropped", { a: 2, extra: true }, { a: 2 }, ["extra"]],
  ])("%s", (_name, input, expected, dropped) => {
    expect(parseDroppingInvalid(Schema, input)).toEqual([expected, dropped]);
  });
});
