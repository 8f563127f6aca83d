// `flaremesh generate` on a 50-service manifest: every Worker config is consistent, and wrangler bundles every
// one of them (`wrangler deploy --dry-run`), alternating the two environments, offline.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./run-cli";

const SERVICES = 50;
/** The telemetry shipper's config is generated when the checkout has one (infra/telemetry.toml). */
const TELEMETRY = existsSync(join(ROOT, "infra/telemetry.toml"));
const CONFIGS = SERVICES + 2 + (TELEMETRY ? 1 : 0);
let dir: string;
let out: string;

interface Config {
  name: string;
  main: string;
  routes?: { pattern: string; custom_domain?: boolean; zone_name?: string }[];
  vars: Record<string, string>;
  services?: { binding: string; service: string; entrypoint?: string }[];
  durable_objects: { bindings: { name: string; class_name: string; script_name?: string }[] };
  migrations?: { tag: string; new_sqlite_classes?: string[] }[];
  secrets?: { required: string[] };
  env: Record<string, Omit<Config, "env" | "main" | "migrations">>;
}

/** Generated files are JSON with a leading `//` comment line (JSONC). */
const read = (file: string): Config =>
  JSON.parse(readFileSync(join(out, file), "utf8").replace(/^\/\/.*\n/, "")) as Config;

function manifest(): string {
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    name: `svc-${i}`,
    ...(i % 10 === 9 ? { namespace: "payments" } : {}),
    ...(i % 5 === 4
      ? { origins: [`https://svc-${i}.internal.example.com`] }
      : {
          workers: [
            { name: `svc-${i}-v1`, version: "v1" },
            ...(i % 3 === 0 ? [{ name: `svc-${i}-v2`, version: "v2" }] : []),
          ],
        }),
    ...(i === 0 ? { customDomains: ["shop.example.com"] } : {}),
  }));
  return YAML.stringify({
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "MeshManifest",
    metadata: { name: "shop" },
    spec: {
      environments: {
        production: { domain: "mesh.example.com" },
        staging: { domain: "staging.mesh.example.com", vars: { LOG_LEVEL: "debug" } },
      },
      services,
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flaremesh-generate-"));
  out = join(dir, "out");
  writeFileSync(join(dir, "mesh.yaml"), manifest());
  const { code, stdout, stderr } = await runCli(["generate", "-f", join(dir, "mesh.yaml"), "--out", out]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toContain(`${CONFIGS} Worker configs for production and staging`);
});

describe("flaremesh generate: 50 services", () => {
  it("writes the control plane, the mesh proxy and one ingress proxy per service", () => {
    expect(readdirSync(join(out, "proxies")).length).toBe(SERVICES + 1);
    const files = [
      "control/wrangler.jsonc",
      ...(TELEMETRY ? ["telemetry/wrangler.jsonc"] : []),
      ...readdirSync(join(out, "proxies")).map((f) => `proxies/${f}`),
    ];
    expect(files.length).toBe(CONFIGS);
    const configs = files.map(read);
    // env.production repeats the top level (same name); every other name is unique
    for (const c of configs) expect(c.env["production"]?.name).toBe(c.name);
    const names = configs.flatMap((c) => [c.name, c.env["staging"]?.name]);
    expect(new Set(names).size).toBe(names.length);
    if (TELEMETRY) {
      // proxies produce to, and the shipper consumes from, the environment's own queue
      const queue = (c: Config | Config["env"][string]) => JSON.stringify((c as { queues?: unknown }).queues ?? null);
      expect(queue(read("proxies/svc-1.wrangler.jsonc").env["staging"]!)).toContain('"queue":"shop-telemetry-staging"');
      expect(queue(read("telemetry/wrangler.jsonc"))).toContain('"consumers":[{"queue":"shop-telemetry"');
    }
    expect(JSON.parse(readFileSync(join(out, "mesh.json"), "utf8"))).toMatchObject({
      services: SERVICES,
      environments: ["production", "staging"],
      metricsShards: 7,
    });
  });

  it("the control plane: Durable Object bindings and migrations from wrangler.toml, secrets listed, per environment", () => {
    const control = read("control/wrangler.jsonc");
    const base = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
    expect(control.name).toBe("shop-control");
    expect(control.migrations?.map((m) => m.tag)).toEqual([...base.matchAll(/^tag = "([^"]+)"/gm)].map((m) => m[1]));
    expect(control.durable_objects.bindings.map((b) => b.class_name)).toContain("ControlPlane");
    expect(control.secrets?.required).toEqual(expect.arrayContaining(["MESH_ADMIN_TOKEN", "MESH_KEY_ENCRYPTION_KEY"]));
    expect(control.routes).toEqual([{ pattern: "control.mesh.example.com", custom_domain: true }]);
    expect(control.vars).toMatchObject({ MESH_ENV: "production", MESH_METRICS_SHARDS: "7" });
    const staging = control.env["staging"]!;
    expect(staging.name).toBe("shop-control-staging");
    expect(staging.routes).toEqual([{ pattern: "control.staging.mesh.example.com", custom_domain: true }]);
    expect(staging.durable_objects).toEqual(control.durable_objects);
    expect(staging.vars["LOG_LEVEL"]).toBe("debug");
    expect(existsSync(join(out, "control", control.main))).toBe(true);
  });

  it("an ingress proxy: pinned to its service, bound to its Workers and to the environment's control plane", () => {
    const proxy = read("proxies/svc-3.wrangler.jsonc");
    expect(proxy.name).toBe("shop-svc-3-proxy");
    expect(proxy.vars).toMatchObject({ MESH_SERVICE: "default/svc-3", MESH_HOST_SUFFIXES: ".mesh.example.com" });
    expect(proxy.routes).toEqual([{ pattern: "svc-3.mesh.example.com", custom_domain: true }]);
    expect(proxy.services).toEqual([
      { binding: "CONTROL", service: "shop-control", entrypoint: "ProxyApi" },
      { binding: "WORKER_SVC_3_V1", service: "svc-3-v1" },
      { binding: "WORKER_SVC_3_V2", service: "svc-3-v2" },
    ]);
    const staging = proxy.env["staging"]!;
    expect(staging.services?.map((s) => s.service)).toEqual([
      "shop-control-staging",
      "svc-3-v1-staging",
      "svc-3-v2-staging",
    ]);
    expect(
      staging.durable_objects.bindings.every(
        (b) => b.script_name === undefined || b.script_name === "shop-control-staging",
      ),
    ).toBe(true);
    // namespaces show in names and hostnames; custom domains only in production
    expect(read("proxies/payments-svc-9.wrangler.jsonc").routes).toEqual([
      { pattern: "svc-9.payments.mesh.example.com", custom_domain: true },
    ]);
    expect(read("proxies/svc-0.wrangler.jsonc").routes?.map((r) => r.pattern)).toEqual([
      "svc-0.mesh.example.com",
      "shop.example.com",
    ]);
    expect(read("proxies/svc-0.wrangler.jsonc").env["staging"]?.routes?.map((r) => r.pattern)).toEqual([
      "svc-0.staging.mesh.example.com",
    ]);
  });

  it("the mesh proxy binds every Worker (egress), and each Worker gets its MESH binding snippet", () => {
    const mesh = read("proxies/mesh-proxy.wrangler.jsonc");
    const workers = (mesh.services ?? []).filter((s) => s.binding.startsWith("WORKER_"));
    expect(workers.length).toBe(readdirSync(join(out, "workers")).length);
    const snippet = JSON.parse(
      readFileSync(join(out, "workers/svc-3-v2.mesh.jsonc"), "utf8").replace(/^\/\/.*\n/, ""),
    ) as {
      services: unknown[];
      env: Record<string, { services: unknown[] }>;
    };
    expect(snippet.services).toEqual([
      {
        binding: "MESH",
        service: "shop-proxy",
        entrypoint: "Egress",
        props: { service: "svc-3", namespace: "default", version: "v2" },
      },
    ]);
    expect(snippet.env["staging"]?.services).toEqual([expect.objectContaining({ service: "shop-proxy-staging" })]);
  });

  it("services.yaml holds Service resources that validate", async () => {
    const { code, stdout } = await runCli(["validate", "-f", join(out, "services.yaml")]);
    expect(stdout).toContain(`valid (${SERVICES} documents)`);
    expect(code).toBe(0);
  });

  it.each([
    [
      "structure",
      "metadata: {name: Shop}\nspec:\n  environments: {production: {domain: x.example.com}, qa: {domain: q.example.com}}\n  services: [{name: c, wrkers: [d]}]",
      [
        "metadata.name: must be a short lower-case name",
        'spec.services[0].wrkers: unknown field "wrkers"',
        "spec.environments.qa",
      ],
    ],
    [
      "consistency",
      "metadata: {name: shop}\nspec:\n  environments: {staging: {domain: x.example.com}}\n  services: [{name: a}, {name: a, workers: [b]}]",
      [
        "spec.environments.production: production is required",
        "spec.services[1].name: duplicate service default/a",
        "spec.services[0].workers: a service needs at least one Worker or origin",
      ],
    ],
  ])("a manifest with problems (%s) names each field and exits 1", async (name, body, messages) => {
    writeFileSync(join(dir, `bad-${name}.yaml`), `apiVersion: flaremesh.dev/v1alpha1\nkind: MeshManifest\n${body}\n`);
    const { code, stderr } = await runCli([
      "generate",
      "-f",
      join(dir, `bad-${name}.yaml`),
      "--out",
      join(dir, "bad-out"),
    ]);
    expect(code).toBe(1);
    for (const message of messages) expect(stderr).toContain(message);
    expect(existsSync(join(dir, "bad-out"))).toBe(false);
  });
});

/** `wrangler deploy --dry-run` of one generated config; resolves to its exit code and output. */
function dryRun(config: string, env: string, outdir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
        "deploy",
        "--dry-run",
        "--outdir",
        outdir,
        "-c",
        config,
        "--env",
        env,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("wrangler deploy --dry-run on generated configs", () => {
  // Every generated Worker config (control plane, shipper, mesh proxy and the 50 ingress proxies), each for
  // one environment — alternating production and staging — two at a time (~3 s each on 2 cores).
  const all = (): [string, string][] => {
    const files = [
      "control/wrangler.jsonc",
      ...(TELEMETRY ? ["telemetry/wrangler.jsonc"] : []),
      ...readdirSync(join(out, "proxies"))
        .filter((f) => f.endsWith(".wrangler.jsonc"))
        .sort()
        .map((f) => `proxies/${f}`),
    ];
    return files.map((file, i) => [file, i % 2 === 0 ? "production" : "staging"]);
  };

  it("bundles every generated Worker for its environment, two at a time", async () => {
    const configs = all();
    expect(configs).toHaveLength(CONFIGS);
    const results: { file: string; code: number | null; output: string; outdir: string }[] = [];
    for (let i = 0; i < configs.length; i += 2) {
      const batch = configs.slice(i, i + 2).map(async ([file, env]) => {
        const outdir = join(dir, "bundles", file.replace(/[/.]/g, "_"));
        return { file, env, outdir, ...(await dryRun(join(out, file), env, outdir)) };
      });
      results.push(...(await Promise.all(batch)));
    }
    for (const r of results) {
      expect({ file: r.file, code: r.code, output: r.code === 0 ? "" : r.output }).toEqual({
        file: r.file,
        code: 0,
        output: "",
      });
      expect(r.output).toContain("--dry-run: exiting now.");
      expect(readdirSync(r.outdir).some((f) => f.endsWith(".js"))).toBe(true);
    }
    const staging = results.find((r) => r.file.includes("payments-svc-49"));
    expect(staging?.output).toContain(
      configs.find(([f]) => f.includes("payments-svc-49"))?.[1] === "staging"
        ? "shop-control-staging#ProxyApi"
        : "shop-control#ProxyApi",
    );
  }, 400_000);
});
