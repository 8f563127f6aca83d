// The committed JSON Schemas (schemas/*.json) and docs/reference/resources.md are what `npm run schemas`
// generates from the zod schemas: this fails when someone changes a resource schema and forgets to regenerate.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KINDS } from "../../shared/resources/resource";
import { ROOT } from "./run-cli";

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts/schemas.mjs"), ...args], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("JSON Schemas", () => {
  it("are up to date (npm run schemas -- --check)", async () => {
    const { code, output } = await run(["--check"]);
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("exist for every kind, and all.json picks one by apiVersion and kind", () => {
    const all = JSON.parse(readFileSync(join(ROOT, "schemas/all.json"), "utf8")) as {
      allOf: { if: { properties: { kind: { const: string } } }; then: { $ref: string } }[];
    };
    expect(all.allOf.map((c) => c.if.properties.kind.const)).toEqual([...KINDS]);
    for (const kind of KINDS) {
      const schema = JSON.parse(readFileSync(join(ROOT, "schemas", `${kind.toLowerCase()}.json`), "utf8")) as {
        properties: { kind: { const: string }; spec: { additionalProperties?: boolean } };
        $schema: string;
      };
      expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(schema.properties.kind.const).toBe(kind);
      // Unknown fields are errors in the mesh, so editors flag them too.
      expect(schema.properties.spec.additionalProperties).toBe(false);
    }
  });
});
