// Real-world-shaped Istio and Gateway API YAML through the real `flaremesh validate`: the good corpus validates
// (warnings allowed, each naming its field), every bad file fails at exactly the file, line and field it declares.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

const CORPUS = "test/cli/corpus";

interface Problem {
  file: string;
  line?: number;
  severity: "error" | "warning";
  document?: string;
  path?: string;
  message: string;
}
interface Report {
  files: { file: string; documents: number; valid: boolean }[];
  problems: Problem[];
  errors: number;
}

const files = (dir: string) =>
  readdirSync(join(CORPUS, dir))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();

/** `# expect: LINE FIELD.PATH "message fragment"` lines, from the file or its `.expect` sidecar. */
function expectations(file: string): { line: number; path: string; fragment: string }[] {
  const sidecar = `${file}.expect`;
  const text = readFileSync(existsSync(sidecar) ? sidecar : file, "utf8");
  return [...text.matchAll(/^# expect: (\d+) (\S+) "([^"]+)"$/gm)].map((m) => ({
    line: Number(m[1]),
    path: m[2] as string,
    fragment: m[3] as string,
  }));
}

async function validate(paths: string[]): Promise<{ code: number | null; report: Report }> {
  const { code, stdout } = await runCli(["validate", ...paths.flatMap((p) => ["-f", p]), "-o", "json"]);
  return { code, report: JSON.parse(stdout) as Report };
}

describe("validation corpus: good", () => {
  it("every file validates; every warning names its document and field", async () => {
    const { code, report } = await validate([join(CORPUS, "good")]);
    expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(code).toBe(0);
    expect(report.files.map((f) => f.file)).toEqual(files("good").map((f) => join(CORPUS, "good", f)));
    expect(report.files.every((f) => f.valid && f.documents > 0)).toBe(true);
    for (const warning of report.problems) {
      expect(warning.document).toMatch(/^[A-Za-z]+\/[a-z0-9.-]+$/);
      expect(warning.path).toMatch(/^spec\./);
      expect(warning.line).toBeGreaterThan(0);
    }
    // The Istio fields flaremesh does not act upon are reported, not silently dropped.
    const paths = report.problems.map((p) => `${p.file.split("/").pop()} ${p.path}`);
    expect(paths).toContain("istio-bookinfo-destination-rule-all-mtls.yaml spec.trafficPolicy.tls");
    expect(paths).toContain("istio-bookinfo-gateway-virtualservice.yaml spec.gateways[0]");
    expect(paths).toContain("gateway-api-gamma-mesh-split.yaml spec.parentRefs[0].port");
  });
});

describe("validation corpus: bad", () => {
  // Each file is validated on its own (one apply each), so one run covers them all.
  let run: Awaited<ReturnType<typeof validate>>;
  beforeAll(async () => {
    run = await validate(files("bad").map((f) => join(CORPUS, "bad", f)));
  });

  it("exits 1", () => {
    expect(run.code).toBe(1);
  });

  it.each(files("bad"))("%s fails at the declared file, line and field", (name) => {
    const file = join(CORPUS, "bad", name);
    const expected = expectations(file);
    expect(expected.length).toBeGreaterThan(0);
    const errors = run.report.problems.filter((p) => p.severity === "error" && p.file === file);
    for (const e of expected) {
      expect(errors).toContainEqual(
        expect.objectContaining({ file, line: e.line, path: e.path, message: expect.stringContaining(e.fragment) }),
      );
    }
  });
});
