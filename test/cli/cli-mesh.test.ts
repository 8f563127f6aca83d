// The CLI binary against a running local mesh with the demo: apply, get, diff, history, rollback, status, delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { runCli } from "./run-cli";

const ALL_V1 = "infra/demo/tasks/virtual-service-all-v1.yaml";
const TEST_V2 = "infra/demo/tasks/virtual-service-reviews-test-v2.yaml";
const INVALID_VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: -5
`;

let mesh: TestMesh;
/** The CLI pointed at the mesh; no token: a loopback server gets the development token, which startMesh uses. */
const cli = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
  runCli(args, { ...options, env: { FLAREMESH_SERVER: mesh.url, ...options.env } });

interface Listed {
  revision: number;
  items: Array<{ kind: string; metadata: { name: string; resourceVersion?: string }; spec: Record<string, unknown> }>;
}

async function currentRevision(): Promise<number> {
  const { stdout } = await cli(["status", "-o", "json"]);
  return (JSON.parse(stdout) as { revision: number }).revision;
}

beforeAll(async () => {
  mesh = await startMesh({ demo: true });
});

afterAll(async () => {
  await mesh?.stop();
});

describe("flaremesh against a running mesh", () => {
  it("status shows the current revision", async () => {
    const { code, stdout } = await cli(["status"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Revision:\s+\d+/);
  });

  it("get svc prints a table of the demo Services", async () => {
    const { code, stdout } = await cli(["get", "svc"]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+REVISION\s+AGE$/);
    expect(stdout).toMatch(/^default\s+reviews\s+\d+\s+\d+[smhd]$/m);
  });

  it("apply --dry-run reports without changing anything", async () => {
    const before = await currentRevision();
    const { code, stdout } = await cli(["apply", "--dry-run", "-f", ALL_V1]);
    expect(code).toBe(0);
    expect(stdout).toContain("virtualservice/reviews created (dry run)");
    expect(await currentRevision()).toBe(before);
  });

  it("apply prints created, then unchanged", async () => {
    const first = await cli(["apply", "-f", ALL_V1]);
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split("\n")).toEqual([
      "virtualservice/productpage created",
      "virtualservice/reviews created",
      "virtualservice/ratings created",
      "virtualservice/details created",
    ]);
    const again = await cli(["apply", "-f", ALL_V1]);
    expect(again.stdout).toContain("virtualservice/reviews unchanged");
  });

  it("get -o json returns the applied resource", async () => {
    const { code, stdout } = await cli(["get", "VirtualService", "reviews", "-o", "json"]);
    expect(code).toBe(0);
    const vs = JSON.parse(stdout) as Listed["items"][number];
    expect(vs.kind).toBe("VirtualService");
    expect(vs.metadata.name).toBe("reviews");
    expect(JSON.stringify(vs.spec)).toContain('"subset":"v1"');
    const list = JSON.parse((await cli(["get", "vs", "-o", "json"])).stdout) as Listed;
    expect(list.items.map((i) => i.metadata.name).sort()).toEqual(["details", "productpage", "ratings", "reviews"]);
  });

  it("diff exits 0 for what is applied and 1, with a unified diff, for a change", async () => {
    const same = await cli(["diff", "-f", ALL_V1]);
    expect(same).toMatchObject({ code: 0, stdout: "" });
    const changed = await cli(["diff", "-f", TEST_V2]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain("diff -u VirtualService/default/reviews");
    expect(changed.stdout).toMatch(/^\+.*end-user:$/m);
    expect(changed.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
  });

  it("apply -f - reads stdin and reports configured", async () => {
    const { readFileSync } = await import("node:fs");
    const { code, stdout } = await cli(["apply", "-f", "-"], { input: readFileSync(TEST_V2, "utf8") });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("virtualservice/reviews configured");
  });

  it("history lists revisions; rollback restores an earlier one as a new revision", async () => {
    const table = await cli(["history"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^REVISION\s+TIME\s+ACTOR\s+SUMMARY$/);
    const { items } = JSON.parse((await cli(["history", "-o", "json"])).stdout) as {
      items: Array<{ revision: number }>;
    };
    const latest = Math.max(...items.map((i) => i.revision));
    const target = latest - 1; // the all-v1 apply
    const rolled = await cli(["rollback", String(target)]);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain(`rolled back to revision ${target} (new revision ${latest + 1})`);
    expect((await cli(["diff", "-f", ALL_V1])).code).toBe(0);
  });

  it("rollback to an unknown revision is a not_found error", async () => {
    const { code, stderr } = await cli(["rollback", "99999"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: not_found: /);
  });

  it("a rejected apply prints the code and each problem's document and path", async () => {
    const before = await currentRevision();
    const { code, stderr } = await cli(["apply", "-f", "-"], { input: INVALID_VS });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: invalid_resource: /);
    expect(stderr).toContain("  - VirtualService/reviews spec.http[0].route[0].weight: ");
    expect(await currentRevision()).toBe(before);
  });

  it("--token wins over FLAREMESH_TOKEN; a wrong token is unauthorized", async () => {
    const wrong = await cli(["get", "vs"], { env: { FLAREMESH_TOKEN: "wrong" } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: unauthorized: /);
    const right = await cli(["get", "vs", "--token", mesh.adminToken], { env: { FLAREMESH_TOKEN: "wrong" } });
    expect(right.code).toBe(0);
  });

  it("delete removes a resource; get then fails and diff shows it as new", async () => {
    const deleted = await cli(["delete", "vs", "reviews"]);
    expect(deleted).toMatchObject({ code: 0, stdout: "virtualservice/reviews deleted\n" });
    const gone = await cli(["get", "vs", "reviews"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: not_found: /);
    const diff = await cli(["diff", "-f", TEST_V2]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain("--- /dev/null");
  });
});
