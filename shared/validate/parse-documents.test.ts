import { describe, expect, it } from "vitest";
import { MeshError } from "../errors";
import { MAX_DOCUMENTS, parseDocuments } from "./parse-documents";

function failure(body: string, media: "yaml" | "json"): MeshError {
  try {
    parseDocuments(body, media);
  } catch (err) {
    if (err instanceof MeshError) return err;
    throw err;
  }
  throw new Error("expected parseDocuments to throw");
}

describe("parseDocuments: accepted bodies", () => {
  it.each([
    [
      "one JSON object",
      '{"kind":"Service","metadata":{"name":"a"}}',
      "json",
      [{ kind: "Service", metadata: { name: "a" } }],
    ],
    ["a JSON array", '[{"kind":"A"},{"kind":"B"}]', "json", [{ kind: "A" }, { kind: "B" }]],
    ["a JSON List", '{"apiVersion":"v1","kind":"List","items":[{"kind":"A"}]}', "json", [{ kind: "A" }]],
    ["one YAML document", "kind: A\n", "yaml", [{ kind: "A" }]],
    ["multi-document YAML", "kind: A\n---\nkind: B\n", "yaml", [{ kind: "A" }, { kind: "B" }]],
    [
      "YAML with empty documents and comments",
      "---\n# nothing\n---\nkind: A\n---\n---\nkind: B\n...\n",
      "yaml",
      [{ kind: "A" }, { kind: "B" }],
    ],
    [
      "a YAML List (kubectl get -o yaml)",
      "apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n",
      "yaml",
      [{ kind: "A" }, { kind: "B" }],
    ],
    [
      "YAML 1.2 scalars stay strings",
      "kind: A\nv: yes\nt: 2024-01-01T00:00:00Z\n",
      "yaml",
      [{ kind: "A", v: "yes", t: "2024-01-01T00:00:00Z" }],
    ],
    ["small alias use", "a: &x {k: 1}\nb: *x\n", "yaml", [{ a: { k: 1 }, b: { k: 1 } }]],
  ] as const)("%s", (_name, body, media, expected) => {
    expect(parseDocuments(body, media)).toEqual(expected);
  });
});

const bomb = [
  "a: &a [x,x,x,x,x,x,x,x,x]",
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
].join("\n");

describe("parseDocuments: rejected bodies", () => {
  it.each([
    ["JSON syntax error", '{"kind": "A",\n "x": }', "json", "bad_request", "#0", /line 2/],
    ["JSON scalar", "42", "json", "bad_request", "#0", /expected a resource object/],
    ["JSON array with a non-object", '[{"kind":"A"}, "x"]', "json", "bad_request", "#1", /got string/],
    [
      "YAML syntax error in the second document",
      "kind: A\n---\nkind: [B\nx: 1\n",
      "yaml",
      "bad_request",
      "#1",
      /line \d+, column \d+/,
    ],
    ["YAML duplicate key", "kind: A\nkind: B\n", "yaml", "bad_request", "#0", /line 2/],
    ["YAML scalar document", "kind: A\n---\njust a string\n", "yaml", "bad_request", "#1", /got string/],
    ["YAML list document", "- a\n- b\n", "yaml", "bad_request", "#0", /got a list/],
    ["YAML alias bomb", bomb, "yaml", "bad_request", "#0", /alias/i],
    [
      "List with non-list items",
      "apiVersion: v1\nkind: List\nitems: 3\n",
      "yaml",
      "bad_request",
      "#0",
      /must be a list/,
    ],
  ] as const)("%s", (_name, body, media, code, document, message) => {
    const err = failure(body, media);
    expect(err.code).toBe(code);
    expect(err.details[0]?.document).toBe(document);
    expect(err.details[0]?.message).toMatch(message);
  });

  it("names the line of a YAML syntax error", () => {
    const err = failure("kind: A\nmetadata:\n  name: x\n  labels: {a: 1\n", "yaml");
    expect(err.message).toMatch(/line \d/);
    expect(err.details[0]?.message).toMatch(/^line \d+, column \d+: /);
  });

  it.each([
    ["empty body", "", "yaml"],
    ["whitespace only", "  \n", "json"],
    ["only empty documents", "---\n---\n# c\n", "yaml"],
  ] as const)("%s → bad_request", (_n, body, media) => expect(failure(body, media).code).toBe("bad_request"));

  it("refuses more than MAX_DOCUMENTS documents", () => {
    const body = Array.from({ length: MAX_DOCUMENTS + 1 }, (_, i) => `kind: A\nn: ${i}`).join("\n---\n");
    expect(failure(body, "yaml").code).toBe("bad_request");
    expect(failure(JSON.stringify(Array.from({ length: MAX_DOCUMENTS + 1 }, () => ({}))), "json").code).toBe(
      "bad_request",
    );
  });

  it("refuses bodies above 1 MiB", () => {
    const err = failure(`kind: A\nx: "${"a".repeat(1024 * 1024)}"\n`, "yaml");
    expect(err.code).toBe("payload_too_large");
    expect(err.status).toBe(413);
  });

  it("turns absurd nesting into bad_request, not a crash", () => {
    const depth = 3000;
    expect(failure(`${"[".repeat(depth)}${"]".repeat(depth)}`, "yaml").code).toBe("bad_request");
    const deepJson = `{"kind":"A","x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const err = failure(deepJson, "json");
    expect(err.code).toBe("bad_request");
    expect(err.details[0]).toMatchObject({ document: "#0", message: "nesting deeper than 64 levels" });
  });
});
