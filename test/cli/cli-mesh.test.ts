// The CLI binary against a running local mesh with the demo: apply, get, describe, diff, history, rollback, status,
// topology, tokens, credentials, logs --follow, delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { request } from "node:http";
import { runCli, startCli } from "./run-cli";

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

  it("describe: the Services a resource affects and the revisions that touched it", async () => {
    const { code, stdout } = await cli(["describe", "vs", "reviews"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Kind:\s+VirtualService$/m);
    expect(stdout).toMatch(/^ {2}default\/reviews\s+routes \(host\), destination\s+yes$/m);
    const { items } = JSON.parse((await cli(["history", "-o", "json"])).stdout) as {
      items: Array<{ revision: number; summary: string }>;
    };
    const touching = items.filter((i) => i.summary.includes("VirtualService/default/reviews"));
    expect(touching.length).toBeGreaterThan(0);
    for (const r of touching.slice(-5)) expect(stdout).toMatch(new RegExp(`^ {2}${r.revision}\\s+\\d{4}-`, "m"));
    expect(stdout).toMatch(/^Spec:\n {2}hosts:/m);

    const svc = await cli(["describe", "svc", "reviews"]);
    expect(svc.stdout).toMatch(/^Configured by:$/m);
    expect(svc.stdout).toMatch(/^ {2}DestinationRule\s+default\s+reviews\s+traffic policy and subsets$/m);
    expect(svc.stdout).toMatch(/^ {2}VirtualService\s+default\s+reviews\s+routes \(host\), destination$/m);

    const missing = await cli(["describe", "vs", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: not_found: /);
  });

  it("topology prints the service graph (or says the control plane has none)", async () => {
    await mesh.fetch("productpage.localhost", "/api/v1/products/0");
    const { code, stdout, stderr } = await cli(["topology"]);
    if (code === 0) {
      expect(stdout).toMatch(/productpage|No traffic seen yet/);
      const json = JSON.parse((await cli(["topology", "-o", "json"])).stdout) as { nodes: unknown[]; edges: unknown[] };
      expect(Array.isArray(json.nodes) && Array.isArray(json.edges)).toBe(true);
    } else {
      expect(code).toBe(1);
      expect(stderr).toContain("does not serve GET /v1/topology");
    }
  });

  it("token create mints a working viewer token; revoke makes it unauthorized", async () => {
    const created = await cli(["token", "create", "--role", "viewer", "--ttl", "1h", "-o", "json"]);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as { id: string; token: string; role: string; expiresAt: string };
    expect(token.role).toBe("viewer");
    expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.now());
    expect((await cli(["get", "svc", "--token", token.token])).code).toBe(0);
    const denied = await cli(["delete", "vs", "ratings", "--token", token.token]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^error: forbidden: /);
    expect((await cli(["token", "list"])).stdout).toContain(token.id);
    expect(await cli(["token", "revoke", token.id])).toMatchObject({ code: 0, stdout: `token/${token.id} revoked\n` });
    const revoked = await cli(["get", "svc", "--token", token.token]);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/^error: unauthorized: /);
    const bad = await cli(["token", "create", "--ttl", "soon"]);
    expect(bad.code).toBe(2);
  });

  it("credential create prints a workload credential once; revoke removes it", async () => {
    const created = await cli(["credential", "create", "httpbin", "-o", "credential"]);
    expect(created.code).toBe(0);
    const credential = created.stdout.trim();
    expect(credential.length).toBeGreaterThan(16);
    const exchanged = await mesh.api("POST", "/v1/identity/token", undefined, { token: credential });
    expect(exchanged.status).toBe(200);
    expect((await cli(["credential", "revoke", "httpbin"])).code).toBe(0);
    const after = await mesh.api("POST", "/v1/identity/token", undefined, { token: credential });
    expect(after.status).toBe(401);
  });

  it("logs --follow: applies a temporary http-json sink, prints matching entries, removes the sink on Ctrl-C", async () => {
    const logs = startCli(["logs", "--follow", "--service", "httpbin", "--status", "4xx,5xx"], {
      env: { FLAREMESH_SERVER: mesh.url },
    });
    try {
      const [, sink, endpoint] = await logs.waitFor(
        "stderr",
        /TelemetrySink default\/(\S+) → (http:\/\/127\.0\.0\.1:\d+\/v1\/logs)/,
      );
      const applied = (await mesh.api("GET", `/v1/resources/TelemetrySink/default/${sink}`)).json as {
        spec: { type: string; endpoint: string; targetRef?: { name: string } };
      };
      expect(applied.spec).toMatchObject({
        type: "http-json",
        endpoint,
        targetRef: { kind: "Service", name: "httpbin" },
      });

      // The receiver side: what a sink posts is filtered by service and status, and printed one line each.
      const batch = JSON.stringify({
        entries: [
          {
            time: "t1",
            method: "GET",
            authority: "httpbin.localhost",
            path: "/status/503",
            status: 503,
            duration_ms: 2,
            source: {},
            destination: { service: "httpbin", namespace: "default", version: "v1" },
            response_flags: "-",
          },
          {
            time: "t2",
            method: "GET",
            authority: "httpbin.localhost",
            path: "/get",
            status: 200,
            duration_ms: 1,
            source: {},
            destination: { service: "httpbin", namespace: "default" },
          },
          {
            time: "t3",
            method: "GET",
            authority: "reviews.localhost",
            path: "/",
            status: 500,
            duration_ms: 1,
            source: {},
            destination: { service: "reviews", namespace: "default" },
          },
        ],
      });
      await post(endpoint!, batch);
      await logs.waitFor(
        "stdout",
        /t1 {2}GET httpbin\.localhost\/status\/503 {2}503 {2}2ms {2}- → default\/httpbin\(v1\)/,
      );

      // Live traffic shipped by the proxies to the sink: a 418 from httpbin shows up; a 200 does not.
      await mesh.fetch("httpbin.localhost", "/get");
      await mesh.fetch("httpbin.localhost", "/status/418");
      await logs.waitFor("stdout", /GET httpbin\.localhost\/status\/418 {2}418 .* → default\/httpbin\(v[12]\)/, 10_000);
    } finally {
      const result = await logs.stop("SIGINT");
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/ 200 /);
      expect(result.stdout).not.toContain("reviews.localhost");
      expect(result.stderr).toMatch(/TelemetrySink default\/flaremesh-logs-\w+ deleted/);
    }
    const sinks = JSON.parse((await cli(["get", "telemetrysink", "-o", "json"])).stdout) as { items: unknown[] };
    expect(sinks.items).toEqual([]);
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

/** POSTs a JSON body to a URL on loopback. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}
