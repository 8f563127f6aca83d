// The CLI binary offline: help, `validate` with the control plane's validation code and the analyzers, input
// errors, exit codes, named meshes from the config file.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KINDS } from "../../shared/resources/resource";
import { KINDS as CLI_KINDS, resolveKind } from "../../cli/kinds.mjs";
import { freePort } from "../helpers/processes";
import type { Command } from "commander";
import { buildProgram } from "../../cli/program.mjs";
import { runCli } from "./run-cli";

let dir: string;

const BAD = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: -5
---
apiVersion: flaremesh.dev/v1alpha1
kind: Bogus
metadata:
  name: x
---
kind: Service
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flaremesh-cli-"));
  writeFileSync(join(dir, "bad.yaml"), BAD);
  writeFileSync(join(dir, "syntax.yaml"), "kind: Service\nmetadata: [\n");
  writeFileSync(
    join(dir, "analyzed.yaml"),
    `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
  - match: [{headers: {end-user: {exact: jason}}}]
    route:
    - destination: {host: reviews, subset: v2}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: oops}
spec:
  action: DENY
  rules:
  - {}
`,
  );
  writeFileSync(
    join(dir, "lonely-vs.yaml"),
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ghost\nspec:\n  hosts: [ghost]\n  http:\n  - route:\n    - destination: {host: ghost}\n",
  );
  writeFileSync(
    join(dir, "service.json"),
    JSON.stringify([
      {
        apiVersion: "flaremesh.dev/v1alpha1",
        kind: "Service",
        metadata: { name: "web" },
        spec: { endpoints: [{ url: "https://example.com" }] },
      },
    ]),
  );
});

const COMMANDS = [
  "apply",
  "get",
  "describe",
  "delete",
  "diff",
  "validate",
  "history",
  "rollback",
  "status",
  "topology",
  "logs",
  "token",
  "token create",
  "token revoke",
  "token list",
  "credential",
  "credential create",
  "credential revoke",
  "config",
  "config set-context",
  "config use-context",
  "config get-contexts",
  "generate",
];

describe.concurrent("flaremesh --help", () => {
  it("lists every command and the exit codes", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const command of COMMANDS.filter((c) => !c.includes(" ")))
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    expect(stdout).toContain("Exit codes: 0 success; 1 differences");
  });

  it.each(["apply", "token create"])("the binary: %s --help exits 0", async (command) => {
    const { code, stdout } = await runCli([...command.split(" "), "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: flaremesh ${command}`);
  });

  it("every command and subcommand has a description and its own --help (in process)", () => {
    const names: string[] = [];
    const walk = (command: Command, prefix: string) => {
      for (const sub of command.commands) {
        const name = `${prefix}${sub.name()}`;
        names.push(name);
        expect(sub.description(), name).not.toBe("");
        expect(sub.helpInformation(), name).toContain(`Usage: flaremesh ${name}`);
        walk(sub, `${name} `);
      }
    };
    walk(buildProgram() as Command, "");
    expect(names).toEqual(expect.arrayContaining(COMMANDS));
  });

  it("refuses an unknown command with exit 2 (usage)", async () => {
    const { code, stderr } = await runCli(["frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command");
  });

  it("a missing argument is a usage error (exit 2)", async () => {
    const { code, stderr } = await runCli(["describe", "vs"]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument");
  });

  it("logs without --follow is a usage error", async () => {
    const { code, stderr } = await runCli(["logs"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--follow");
  });
});

describe.concurrent("flaremesh validate (offline)", () => {
  it("accepts the demo and the Istio task files", async () => {
    const { code, stdout, stderr } = await runCli([
      "validate",
      "-f",
      "infra/demo/bookinfo.yaml",
      "-f",
      "infra/demo/tasks",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^infra\/demo\/bookinfo.yaml: valid \(\d+ documents\)$/m);
    expect(stdout).toContain("infra/demo/tasks/virtual-service-reviews-test-v2.yaml: valid (1 document)");
  });

  it("accepts the demo as a complete mesh (references checked)", async () => {
    const { code } = await runCli(["validate", "--complete", "-f", "infra/demo/bookinfo.yaml"]);
    expect(code).toBe(0);
  });

  it("reads JSON arrays", async () => {
    const { code, stdout } = await runCli(["validate", "-f", join(dir, "service.json")]);
    expect(code).toBe(0);
    expect(stdout).toContain("service.json: valid (1 document)");
  });

  it("names file, line, column, document and field path of every problem, and exits 1", async () => {
    const file = join(dir, "bad.yaml");
    const { code, stdout } = await runCli(["validate", "-f", file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}:10:7: error: VirtualService/reviews: spec.http[0].route[0].weight: must be ≥ 0`);
    expect(stdout).toMatch(new RegExp(`${file}:13:1: error: Bogus/x: kind: .*unknown kind`));
    expect(stdout).toContain(`${file}:17:1: error: #2: apiVersion: is required`);
    expect(stdout).toContain("3 error(s), 0 warning(s)");
  });

  it("with --complete, reports references to Services the files do not define", async () => {
    const file = join(dir, "lonely-vs.yaml");
    expect((await runCli(["validate", "-f", file])).code).toBe(0);
    const { code, stdout } = await runCli(["validate", "--complete", "-f", file]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `${file}:6:11: error: VirtualService/ghost: spec.hosts[0]: host ghost does not name an existing Service`,
    );
  });

  it("reads stdin", async () => {
    const { code, stdout } = await runCli(["validate", "-f", "-"], { input: BAD });
    expect(code).toBe(1);
    expect(stdout).toContain("<stdin>:10:7: error: VirtualService/reviews: spec.http[0].route[0].weight");
  });

  it("runs the analyzers: warnings exit 0 (1 with --fail-on-warnings), errors exit 1; -o json for scripts", async () => {
    const file = join(dir, "analyzed.yaml");
    const warnOnly = await runCli(["validate", "-f", file, "-o", "json"]);
    expect(warnOnly.code).toBe(0);
    const report = JSON.parse(warnOnly.stdout) as { problems: Array<Record<string, unknown>>; warnings: number };
    expect(report.problems).toEqual([
      {
        file,
        line: 10,
        column: 5,
        severity: "warning",
        code: "route-shadowed",
        document: "VirtualService/reviews",
        path: "spec.http[1]",
        message: expect.stringContaining("spec.http[0] has no match") as unknown,
      },
      {
        file,
        line: 20,
        column: 5,
        severity: "warning",
        code: "authz-deny-all",
        document: "AuthorizationPolicy/oops",
        path: "spec.rules[0]",
        message: expect.stringContaining("all requests to every Service of namespace default are denied") as unknown,
      },
    ]);
    expect((await runCli(["validate", "--fail-on-warnings", "-f", file])).code).toBe(1);
  });

  it("reports a YAML syntax error with the file name", async () => {
    const file = join(dir, "syntax.yaml");
    const { code, stdout, stderr } = await runCli(["validate", "-f", file]);
    expect(code).toBe(1);
    expect(stdout + stderr).toContain(file);
  });

  it("reports a missing path as a usage error (exit 2)", async () => {
    const { code, stderr } = await runCli(["validate", "-f", join(dir, "nope.yaml")]);
    expect(code).toBe(2);
    expect(stderr).toContain("does not exist");
  });
});

describe.concurrent("connection failures", () => {
  it("exit 2 with a clear message when nothing listens", async () => {
    const port = await freePort();
    const { code, stderr } = await runCli(["get", "svc", "--server", `http://127.0.0.1:${port}`]);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot reach the control plane at http://127.0.0.1:${port}`);
  });

  it("takes the server from FLAREMESH_SERVER", async () => {
    const port = await freePort();
    const { code, stderr } = await runCli(["status"], { env: { FLAREMESH_SERVER: `http://127.0.0.1:${port}` } });
    expect(code).toBe(2);
    expect(stderr).toContain(`127.0.0.1:${port}`);
  });

  it("lets --server win over FLAREMESH_SERVER", async () => {
    const [envPort, flagPort] = [await freePort(), await freePort()];
    const { stderr } = await runCli(["status", "--server", `http://127.0.0.1:${flagPort}`], {
      env: { FLAREMESH_SERVER: `http://127.0.0.1:${envPort}` },
    });
    expect(stderr).toContain(`:${flagPort}`);
    expect(stderr).not.toContain(`:${envPort}`);
  });
});

describe("named meshes (config file contexts)", () => {
  const config = () => join(dir, "config.yaml");

  it("set-context writes a 0600 file; get-contexts marks the current one; view redacts tokens", async () => {
    const env = { FLAREMESH_CONFIG: config() };
    const port = await freePort();
    expect(
      (
        await runCli(
          ["config", "set-context", "staging", "--server", `http://127.0.0.1:${port}`, "--token", "s3cret", "--use"],
          { env },
        )
      ).code,
    ).toBe(0);
    expect(
      (await runCli(["config", "set-context", "prod", "--server", "https://control.example.com"], { env })).code,
    ).toBe(0);
    expect(statSync(config()).mode & 0o777).toBe(0o600);
    const list = await runCli(["config", "get-contexts"], { env });
    expect(list.stdout).toMatch(/^\*\s+staging\s+http:\/\/127\.0\.0\.1:\d+\s+yes$/m);
    expect(list.stdout).toMatch(/^\s+prod\s+https:\/\/control\.example\.com\s+no$/m);
    const view = await runCli(["config", "view"], { env });
    expect(view.stdout).not.toContain("s3cret");
    expect(readFileSync(config(), "utf8")).toContain("current-context: staging");

    // The current context's server is used; --context picks another; a flag or env var still wins.
    const current = await runCli(["status"], { env });
    expect(current).toMatchObject({ code: 2 });
    expect(current.stderr).toContain(`http://127.0.0.1:${port}`);
    const other = await runCli(["status", "--context", "prod", "--server", `http://127.0.0.1:${port}`], { env });
    expect(other.stderr).toContain(`http://127.0.0.1:${port}`);
    const unknown = await runCli(["status", "--context", "nope"], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no context "nope"');
    expect((await runCli(["config", "use-context", "prod"], { env })).code).toBe(0);
    expect((await runCli(["config", "current-context"], { env })).stdout).toBe("prod\n");
  });
});

describe("kind names", () => {
  it("knows exactly the mesh's kinds", () => {
    expect(CLI_KINDS).toEqual([...KINDS]);
  });

  it.each([
    ["vs", "VirtualService"],
    ["virtualservices", "VirtualService"],
    ["HTTPRoute", "HTTPRoute"],
    ["httproutes", "HTTPRoute"],
    ["svc", "Service"],
    ["services", "Service"],
    ["dr", "DestinationRule"],
    ["authorizationpolicies", "AuthorizationPolicy"],
    ["meshconfigs", "MeshConfig"],
    ["frob", undefined],
  ])("%s → %s", (input, kind) => {
    expect(resolveKind(input)).toBe(kind);
  });
});
