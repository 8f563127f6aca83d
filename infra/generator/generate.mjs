// Pure: a validated mesh manifest + the repo's base wrangler configurations → the wrangler configuration of
// every Worker of the mesh (control plane, shared mesh proxy, per-service ingress proxies), per environment.
import { posix, relative } from "node:path";

/** Secrets the control plane reads (besides what its wrangler.toml lists). */
export const CONTROL_SECRETS = ["MESH_ADMIN_TOKEN", "MESH_KEY_ENCRYPTION_KEY"];

/** `WORKER_` + the Worker name upper-cased, non-alphanumerics as `_` (brief §5). */
export function workerBinding(worker) {
  return `WORKER_${worker.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

const workerNameOf = (w) => (typeof w === "string" ? w : w.name);

/** `<service>.<domain>`, with the namespace between them outside `default` (the proxy's host suffix rule). */
export function serviceHostname(service, domain) {
  return service.namespace === "default"
    ? `${service.name}.${domain}`
    : `${service.name}.${service.namespace}.${domain}`;
}

/**
 * @typedef {{main: string, compatibility_date?: string, compatibility_flags?: string[],
 *   durable_objects?: {bindings: Array<{name: string, class_name: string, script_name?: string}>},
 *   migrations?: object[], secrets?: {required?: string[]}, vars?: Record<string, unknown>}} BaseConfig
 * @typedef {{file: string, role: "control" | "telemetry" | "mesh-proxy" | "ingress-proxy", worker: string, service?: string,
 *   config: Record<string, unknown>}} GeneratedConfig
 */

/**
 * @param {import("./manifest.mjs").MeshManifest} manifest validated (see parseManifest)
 * @param {{control: BaseConfig, proxy: BaseConfig, telemetry?: BaseConfig}} base the repo's wrangler.toml,
 *   infra/proxy.toml and (when present) infra/telemetry.toml, as read by wrangler
 * @param {{outDir: string}} where the files will be written (absolute), so `main` can be made relative
 * @returns {{configs: GeneratedConfig[], snippets: Array<{file: string, worker: string, config: object}>, summary: object}}
 */
export function generateConfigs(manifest, base, { outDir }) {
  const prefix = manifest.metadata.name;
  const spec = manifest.spec;
  const envNames = Object.keys(spec.environments).filter((e) => e !== "production");
  // Every environment, production included, gets an `env.<name>` section so deploys always name one
  // (`--env production`); the top level repeats production for a bare `wrangler deploy`.
  const sections = ["production", ...envNames];
  const names = {
    control: (env) => `${prefix}-control${env === "production" ? "" : `-${env}`}`,
    meshProxy: (env) => `${prefix}-proxy${env === "production" ? "" : `-${env}`}`,
    ingress: (svc, env) =>
      `${prefix}-${svc.namespace === "default" ? "" : `${svc.namespace}-`}${svc.name}-proxy${env === "production" ? "" : `-${env}`}`.slice(
        0,
        63,
      ),
    worker: (w, env) => (env === "production" ? w : `${w}-${env}`),
  };
  const mainFrom = (dir, absolute) => relative(dir, absolute).split("\\").join("/");
  const common = (dir, baseConfig) => ({
    main: mainFrom(dir, baseConfig.main),
    compatibility_date: spec.compatibilityDate ?? baseConfig.compatibility_date ?? "2026-11-01",
    ...(baseConfig.compatibility_flags?.length ? { compatibility_flags: baseConfig.compatibility_flags } : {}),
    ...(spec.accountId ? { account_id: spec.accountId } : {}),
  });
  const shards = spec.control.metricsShards ?? Math.max(4, Math.ceil(spec.services.length / 8));
  /** The repo's queue names (`flaremesh-telemetry`) become this mesh's and environment's (`shop-telemetry-staging`). */
  const queueName = (queue, env) =>
    `${queue.replace(/^flaremesh-/, `${prefix}-`)}${env === "production" ? "" : `-${env}`}`;
  const producers = (env) =>
    (base.proxy.queues?.producers ?? []).map((p) => ({ ...p, queue: queueName(p.queue, env) }));
  const withQueues = (env, section) => {
    const list = producers(env);
    return list.length > 0 ? { ...section, queues: { producers: list } } : section;
  };

  /** Everything an environment section must repeat (bindings, vars and routes are not inherited by wrangler). */
  const controlEnv = (env) => {
    const e = spec.environments[env];
    return {
      name: names.control(env),
      workers_dev: false,
      routes: [{ pattern: `control.${e.domain}`, custom_domain: true }],
      vars: {
        ...(base.control.vars ?? {}),
        MESH_ENV: "production",
        MESH_CONTROL_CACHE_MS: String(spec.control.cacheMs),
        MESH_METRICS_SHARDS: String(shards),
        ...e.vars,
      },
      durable_objects: { bindings: (base.control.durable_objects?.bindings ?? []).map((b) => ({ ...b })) },
      secrets: { required: [...new Set([...(base.control.secrets?.required ?? []), ...CONTROL_SECRETS])] },
    };
  };

  const proxyBindings = (env, workers) => [
    { binding: "CONTROL", service: names.control(env), entrypoint: "ProxyApi" },
    ...workers.map((w) => ({ binding: workerBinding(w), service: names.worker(w, env) })),
  ];
  const proxyDurableObjects = (env) => ({
    bindings: (base.proxy.durable_objects?.bindings ?? []).map((b) =>
      b.script_name !== undefined ? { ...b, script_name: names.control(env) } : { ...b },
    ),
  });
  const allWorkers = [...new Set(spec.services.flatMap((s) => s.workers.map(workerNameOf)))].sort();

  const meshProxyEnv = (env) => {
    const e = spec.environments[env];
    const routes =
      e.zone !== undefined
        ? [{ pattern: `*.${e.domain}/*`, zone_name: e.zone }]
        : spec.proxy.mode === "shared"
          ? spec.services.map((s) => ({ pattern: serviceHostname(s, e.domain), custom_domain: true }))
          : [];
    return {
      name: names.meshProxy(env),
      workers_dev: false,
      ...(routes.length > 0 ? { routes } : {}),
      vars: {
        ...(base.proxy.vars ?? {}),
        MESH_HOST_SUFFIXES: `.${e.domain}`,
        MESH_REFRESH_MS: String(spec.proxy.refreshMs),
        ...e.vars,
      },
      services: proxyBindings(env, allWorkers),
      durable_objects: proxyDurableObjects(env),
    };
  };
  const meshProxySection = (env) => withQueues(env, meshProxyEnv(env));

  const ingressEnv = (svc, env) => {
    const e = spec.environments[env];
    const routes = [
      { pattern: serviceHostname(svc, e.domain), custom_domain: true },
      ...(env === "production" ? svc.customDomains.map((d) => ({ pattern: d, custom_domain: true })) : []),
      ...(env === "production" && e.zone !== undefined
        ? svc.routes.map((r) => ({ pattern: r, zone_name: e.zone }))
        : []),
      ...(env === "production" && e.zone === undefined ? svc.routes.map((r) => ({ pattern: r })) : []),
    ];
    return {
      name: names.ingress(svc, env),
      workers_dev: false,
      routes,
      vars: {
        ...(base.proxy.vars ?? {}),
        MESH_SERVICE: `${svc.namespace}/${svc.name}`,
        MESH_HOST_SUFFIXES: `.${e.domain}`,
        MESH_REFRESH_MS: String(spec.proxy.refreshMs),
        ...e.vars,
      },
      services: proxyBindings(env, svc.workers.map(workerNameOf)),
      durable_objects: proxyDurableObjects(env),
    };
  };
  const ingressSection = (svc, env) => withQueues(env, ingressEnv(svc, env));

  const telemetryEnv = (env) => ({
    name: `${prefix}-telemetry${env === "production" ? "" : `-${env}`}`,
    workers_dev: false,
    ...(base.telemetry?.vars && Object.keys(base.telemetry.vars).length > 0
      ? { vars: { ...base.telemetry.vars } }
      : {}),
    queues: {
      consumers: (base.telemetry?.queues?.consumers ?? []).map((c) => ({ ...c, queue: queueName(c.queue, env) })),
      // Its own queue, for delayed wake-up messages (entries still waiting for a sink).
      producers: (base.telemetry?.queues?.producers ?? []).map((p) => ({ ...p, queue: queueName(p.queue, env) })),
    },
    services: [{ binding: "CONTROL", service: names.control(env), entrypoint: "ProxyApi" }],
  });

  /** Top level = production (a bare `wrangler deploy`), `env.<name>` for the others. */
  const assemble = (file, baseConfig, perEnv, header) => {
    const dir = posix.dirname(posix.join(outDir.split("\\").join("/"), file));
    const { name, ...production } = perEnv("production");
    const config = { $comment: header, name, ...common(dir, baseConfig), ...production };
    // Durable Object migrations are per Worker script, top level: every environment runs the same classes.
    if (baseConfig.migrations?.length) config.migrations = baseConfig.migrations.map((m) => ({ ...m }));
    config.env = Object.fromEntries(sections.map((env) => [env, perEnv(env)]));
    return config;
  };

  const configs = [
    {
      file: "control/wrangler.jsonc",
      role: "control",
      worker: names.control("production"),
      config: assemble(
        "control/wrangler.jsonc",
        base.control,
        controlEnv,
        "flaremesh control plane. Generated by `flaremesh generate`; edit the manifest, not this file.",
      ),
    },
    {
      file: "proxies/mesh-proxy.wrangler.jsonc",
      role: "mesh-proxy",
      worker: names.meshProxy("production"),
      config: assemble(
        "proxies/mesh-proxy.wrangler.jsonc",
        base.proxy,
        meshProxySection,
        "flaremesh shared mesh proxy: the Egress entrypoint every Worker's MESH binding uses, and the ingress of every service without its own proxy. Generated.",
      ),
    },
  ];
  if (base.telemetry !== undefined) {
    configs.splice(1, 0, {
      file: "telemetry/wrangler.jsonc",
      role: "telemetry",
      worker: telemetryEnv("production").name,
      config: assemble(
        "telemetry/wrangler.jsonc",
        base.telemetry,
        telemetryEnv,
        "flaremesh telemetry shipper: consumes the proxies' telemetry queue and ships to every TelemetrySink. Generated.",
      ),
    });
  }
  if (spec.proxy.mode === "per-service") {
    for (const svc of spec.services) {
      const file = `proxies/${svc.namespace === "default" ? "" : `${svc.namespace}-`}${svc.name}.wrangler.jsonc`;
      configs.push({
        file,
        role: "ingress-proxy",
        worker: names.ingress(svc, "production"),
        service: `${svc.namespace}/${svc.name}`,
        config: assemble(
          file,
          base.proxy,
          (env) => ingressSection(svc, env),
          `flaremesh ingress proxy for ${svc.namespace}/${svc.name}. Generated.`,
        ),
      });
    }
  }

  // What each of the user's Workers adds to its own wrangler config to call other services through the mesh.
  const snippets = spec.services.flatMap((svc) =>
    svc.workers.map((w) => {
      const worker = workerNameOf(w);
      const version = typeof w === "string" ? undefined : w.version;
      const props = { service: svc.name, namespace: svc.namespace, ...(version ? { version } : {}) };
      const binding = (env) => [{ binding: "MESH", service: names.meshProxy(env), entrypoint: "Egress", props }];
      return {
        file: `workers/${worker}.mesh.jsonc`,
        worker,
        config: {
          $comment: `Merge into ${worker}'s own wrangler config: its egress through the mesh, as ${svc.namespace}/${svc.name}.`,
          services: binding("production"),
          env: Object.fromEntries(sections.map((env) => [env, { services: binding(env) }])),
        },
      };
    }),
  );

  return {
    configs,
    snippets,
    summary: {
      mesh: prefix,
      environments: sections,
      services: spec.services.length,
      workers: allWorkers.length,
      metricsShards: shards,
      // Deploy order: the control plane first (the others bind it and its RateLimitShard class), then the
      // telemetry shipper (it consumes the queue the proxies produce to), then the proxies.
      deployOrder: configs.map((c) => c.file),
      queues: [...new Set(["production", ...envNames].flatMap((env) => producers(env).map((p) => p.queue)))],
    },
  };
}
