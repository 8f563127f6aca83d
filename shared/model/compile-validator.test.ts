import { describe, expect, it } from "vitest";
import * as z from "zod";
import { compileValidator } from "./compile-validator";

/** Each schema with inputs: the compiled validator must return what zod's safeParse returns (null for failure). */
const cases: [string, z.ZodType, unknown[]][] = [
  [
    "strict object: unknown keys refused, optional keys left out, defaults filled",
    z.strictObject({ a: z.string(), b: z.number().optional(), c: z.array(z.string()).default([]) }),
    [{ a: "x" }, { a: "x", b: 1 }, { a: "x", c: ["y"] }, { a: "x", d: 1 }, { b: 1 }, null, [], "a"],
  ],
  [
    "loose object keeps unknown keys, plain object drops them",
    z.strictObject({ loose: z.looseObject({ a: z.string() }), plain: z.object({ a: z.string() }) }),
    [
      { loose: { a: "x", extra: 1 }, plain: { a: "x", extra: 1 } },
      { loose: { a: 1 }, plain: { a: "x" } },
    ],
  ],
  [
    "numbers: finite, safe integers, inclusive and exclusive bounds",
    z.strictObject({ n: z.number().int().min(0).max(10), p: z.number().positive().optional() }),
    [
      { n: 0 },
      { n: 10 },
      { n: 11 },
      { n: -1 },
      { n: 1.5 },
      { n: 2 ** 53 },
      { n: 1, p: 0 },
      { n: 1, p: 0.1 },
      { n: "1" },
    ],
  ],
  [
    "strings: length, regex, prefix",
    z.strictObject({
      s: z.string().min(2),
      r: z
        .string()
        .regex(/^v[0-9]+$/)
        .optional(),
      p: z.string().startsWith("/").default("/"),
    }),
    [{ s: "ab" }, { s: "a" }, { s: "ab", r: "v2" }, { s: "ab", r: "x2" }, { s: "ab", p: "x" }, { s: "ab", p: "/x" }],
  ],
  [
    "enums, literals, booleans, nullables, unions (first match wins)",
    z.strictObject({
      e: z.enum(["A", "B"]),
      l: z.literal(true).optional(),
      b: z.boolean().default(false),
      n: z.string().nullable().optional(),
      u: z.union([z.strictObject({ header: z.string().min(1) }), z.strictObject({ ip: z.literal(true) })]).optional(),
    }),
    [
      { e: "A" },
      { e: "C" },
      { e: "B", l: false },
      { e: "A", n: null },
      { e: "A", u: { ip: true } },
      { e: "A", u: { header: "" } },
    ],
  ],
  [
    "records: values checked, __proto__ dropped as zod drops it",
    z.record(z.string(), z.number()),
    [{ a: 1 }, { a: "1" }, JSON.parse('{"__proto__": 1, "b": 2}'), [], null],
  ],
  [
    "a default is returned as is; a prefault goes through the schema",
    z.strictObject({
      d: z.strictObject({ x: z.number().default(1) }).default({ x: 5 }),
      p: z.strictObject({ x: z.number().default(1) }).prefault({}),
    }),
    [{}, { d: {}, p: { x: 2 } }],
  ],
];

describe("compileValidator", () => {
  for (const [name, schema, inputs] of cases)
    it(name, () => {
      const compiled = compileValidator(schema);
      for (const input of inputs) {
        const zod = schema.safeParse(structuredClone(input));
        expect(compiled(structuredClone(input)), JSON.stringify(input)).toEqual(zod.success ? zod.data : null);
      }
    });

  it("refuses, when compiling, a schema kind or check it cannot enforce", () => {
    expect(() => compileValidator(z.strictObject({ d: z.date() }))).toThrow(/unsupported schema type date/);
    expect(() => compileValidator(z.string().email())).toThrow(/unsupported check string:string_format\/email/);
    expect(() => compileValidator(z.string().transform((s) => s.length))).toThrow(/unsupported schema type pipe/);
    expect(() => compileValidator(z.array(z.string()).min(1))).toThrow(/array checks/);
  });
});
