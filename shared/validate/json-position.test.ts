import { describe, expect, it } from "vitest";
import { jsonErrorPosition } from "./json-position";

describe("jsonErrorPosition", () => {
  it.each([
    ['{"a": 1,\n "x": }', 2, 7],
    ['{"a" 1}', 1, 6],
    ["[1, 2,]", 1, 7],
    ['{"a": tru}', 1, 7],
    ['{"a": 1}\n{"b": 2}', 2, 1],
    ['{"a": "x\ny"}', 1, 7], // the string that holds a raw newline
    ['{\n  "a": [1, 2\n}', 3, 1],
    ["", 1, 1],
  ])("%j → line %d, column %d", (text, line, column) => expect(jsonErrorPosition(text)).toEqual({ line, column }));

  it.each(['{"a": [1, 2.5e3, -0, true, false, null, "\\u00e9\\n"]}', " [ ] ", '"s"', "0"])("valid: %j", (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonErrorPosition(text)).toBeUndefined();
  });
});
