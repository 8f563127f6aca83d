// The CLI binary offline: help, `validate` with the control plane's validation code, input errors, exit codes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KINDS } from "../../shared/resources/resource";
import { KINDS as CLI_KINDS, resolveKind } from "../../cli/kinds.mjs";
import { freePort } from "../helpers/processes";
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

describe.concurrent("flaremesh --help", () => {
  it("lists every command", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const command of ["apply", "get", "delete", "diff", "validate", "history", "rollback", "status"]) {
      expect(stdout).toContain(command);
    }
  });

  it.each(["apply", "get", "delete", "diff", "validate", "history", "rollback", "status"])(
    "%s --help exits 0",
    async (command) => {
      const { code, stdout } = await runCli([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: flaremesh ${command}`);
    },
  );

  it("refuses an unknown command with exit 1", async () => {
    const { code, stderr } = await runCli(["frobnicate"]);
    expect(code).toBe(1);
    expect(stderr).toContain("unknown command");
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

  it("names file, document and field path of every problem, and exits 1", async () => {
    const file = join(dir, "bad.yaml");
    const { code, stdout } = await runCli(["validate", "-f", file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}: VirtualService/reviews: spec.http[0].route[0].weight: `);
    expect(stdout).toMatch(new RegExp(`${file}: Bogus/x: kind: .*unknown kind`));
    expect(stdout).toContain(`${file}: #2: apiVersion: `);
  });

  it("with --complete, reports references to Services the files do not define", async () => {
    const file = join(dir, "lonely-vs.yaml");
    expect((await runCli(["validate", "-f", file])).code).toBe(0);
    const { code, stdout } = await runCli(["validate", "--complete", "-f", file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}: VirtualService/ghost: spec.`);
  });

  it("reads stdin", async () => {
    const { code, stdout } = await runCli(["validate", "-f", "-"], { input: BAD });
    expect(code).toBe(1);
    expect(stdout).toContain("<stdin>: VirtualService/reviews: spec.http[0].route[0].weight");
  });

  it("reports a YAML syntax error with the file name", async () => {
    const file = join(dir, "syntax.yaml");
    const { code, stdout, stderr } = await runCli(["validate", "-f", file]);
    expect(code).toBe(1);
    expect(stdout + stderr).toContain(file);
  });

  it("reports a missing path", async () => {
    const { code, stderr } = await runCli(["validate", "-f", join(dir, "nope.yaml")]);
    expect(code).toBe(1);
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
