// The mesh manifest (`flaremesh generate -f mesh.yaml`): services with their Workers or origins, hostnames,
// environments. Validated with zod; problems name the field path.
import YAML from "yaml";
import * as z from "zod";

const WORKER_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/;

const workerName = z
  .string()
  .regex(WORKER_NAME, "must be a Worker name: lower-case letters, digits and '-', at most 63");
const dnsLabel = z.string().regex(DNS_LABEL, "must be a DNS-1123 label").max(63);
const hostname = z.string().regex(HOSTNAME, "must be a hostname such as api.example.com");

const endpointWorker = z.union([
  workerName,
  z.strictObject({
    name: workerName,
    version: z.string().min(1).optional(),
    weight: z.number().int().min(0).optional(),
  }),
]);

const service = z.strictObject({
  name: dnsLabel,
  namespace: dnsLabel.default("default"),
  /** Workers that serve this service (`{worker}` endpoints); bound to its proxy as WORKER_<NAME>. */
  workers: z.array(endpointWorker).default([]),
  /** Origin URLs that serve this service (`{url}` endpoints). */
  origins: z.array(z.string().url()).default([]),
  /** Extra public hostnames for this service's proxy in production (Custom Domains). */
  customDomains: z.array(hostname).default([]),
  /** Route patterns (`example.com/api/*`) in production, for zones you already route. */
  routes: z.array(z.string().min(1)).default([]),
});

const environment = z.strictObject({
  /** Every service is published at `<service>.<domain>` (`<service>.<namespace>.<domain>` outside default). */
  domain: hostname,
  /** The zone that holds `domain`, for route patterns (shared proxy mode). */
  zone: z.string().min(1).optional(),
  /** Extra plain-text vars for every Worker of this environment. */
  vars: z.record(z.string(), z.string()).default({}),
});

export const MeshManifest = z.strictObject({
  apiVersion: z.literal("flaremesh.dev/v1alpha1"),
  kind: z.literal("MeshManifest"),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "must be a short lower-case name (≤ 32)"),
  }),
  spec: z
    .strictObject({
      accountId: z
        .string()
        .regex(/^[0-9a-f]{32}$/, "must be a 32-character account id")
        .optional(),
      compatibilityDate: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      proxy: z
        .strictObject({
          /** `per-service`: one ingress proxy Worker per service plus the shared mesh proxy; `shared`: only the shared one. */
          mode: z.enum(["per-service", "shared"]).default("per-service"),
          refreshMs: z.number().int().min(50).max(60_000).default(1000),
        })
        .default({ mode: "per-service", refreshMs: 1000 }),
      control: z
        .strictObject({
          /** How many MetricsShard objects spread the proxies' telemetry (default: 1 per 8 services, at least 4). */
          metricsShards: z.number().int().min(1).max(256).optional(),
          /** How long a control isolate serves the cached snapshot (propagation delay vs Durable Object reads). */
          cacheMs: z.number().int().min(50).max(60_000).default(250),
        })
        .default({ cacheMs: 250 }),
      environments: z
        .partialRecord(z.enum(["production", "staging"]), environment)
        .refine((e) => e.production !== undefined, { message: "production is required", path: ["production"] }),
      services: z.array(service).min(1).max(2000),
    })
    .superRefine((spec, ctx) => {
      const seen = new Map();
      spec.services.forEach((s, i) => {
        const key = `${s.namespace}/${s.name}`;
        if (seen.has(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["services", i, "name"],
            message: `duplicate service ${key} (also services[${seen.get(key)}])`,
          });
        }
        seen.set(key, i);
        if (s.workers.length === 0 && s.origins.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: ["services", i, "workers"],
            message: "a service needs at least one Worker or origin",
          });
        }
      });
    }),
});

function formatPath(path) {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/**
 * Parses and validates a manifest's YAML text.
 * @returns {{ok: true, manifest: z.infer<typeof MeshManifest>} | {ok: false, problems: Array<{path: string, message: string}>}}
 */
export function parseManifest(text) {
  let raw;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [
        { path: "", message: `invalid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}` },
      ],
    };
  }
  const parsed = MeshManifest.safeParse(raw);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: `unknown field "${k}"` }))
        : [{ path: formatPath(issue.path), message: issue.message }],
    ),
  };
}
