// The unified diff behind `flaremesh diff`: hunks, context, additions and removals (pure).
import { describe, expect, it } from "vitest";
import { diffLines, unifiedDiff } from "../../cli/line-diff.mjs";

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

describe("diffLines", () => {
  it.each([
    [[], [], []],
    [["a"], ["a"], [[" ", "a"]]],
    [
      ["a"],
      ["b"],
      [
        ["-", "a"],
        ["+", "b"],
      ],
    ],
    [
      ["a", "b", "c"],
      ["a", "c"],
      [
        [" ", "a"],
        ["-", "b"],
        [" ", "c"],
      ],
    ],
    [
      ["a", "c"],
      ["a", "b", "c"],
      [
        [" ", "a"],
        ["+", "b"],
        [" ", "c"],
      ],
    ],
    [
      ["x", "y"],
      ["p", "q"],
      [
        ["-", "x"],
        ["-", "y"],
        ["+", "p"],
        ["+", "q"],
      ],
    ],
  ])("%j → %j is %j", (a, b, ops) => {
    expect(diffLines(a, b)).toEqual(ops);
  });
});

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n")).toBe("");
  });

  it("prints diff -u hunks with three lines of context", () => {
    const before = `${lines(20).join("\n")}\n`;
    const after = before.replace("line 3\n", "line three\n").replace("line 15\n", "");
    expect(unifiedDiff(before, after, { fromLabel: "live", toLabel: "file" })).toBe(
      [
        "--- live",
        "+++ file",
        "@@ -1,7 +1,7 @@",
        " line 0",
        " line 1",
        " line 2",
        "-line 3",
        "+line three",
        " line 4",
        " line 5",
        " line 6",
        "@@ -13,7 +13,6 @@",
        " line 12",
        " line 13",
        " line 14",
        "-line 15",
        " line 16",
        " line 17",
        " line 18",
        "",
      ].join("\n"),
    );
  });

  it("merges changes whose context overlaps into one hunk", () => {
    const before = `${lines(10).join("\n")}\n`;
    const after = before.replace("line 2\n", "two\n").replace("line 6\n", "six\n");
    const hunkHeaders = unifiedDiff(before, after)
      .split("\n")
      .filter((l) => l.startsWith("@@"));
    expect(hunkHeaders).toEqual(["@@ -1,10 +1,10 @@"]);
  });

  it("shows a new resource as all additions", () => {
    expect(unifiedDiff("", "a: 1\nb: 2\n", { fromLabel: "/dev/null", toLabel: "x.yaml" })).toBe(
      "--- /dev/null\n+++ x.yaml\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n",
    );
  });
});
