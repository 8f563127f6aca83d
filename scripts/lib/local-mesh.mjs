// Runs the whole mesh (control plane, proxy, demo Workers) in one workerd via Miniflare, built from the
// same wrangler configurations that `npm run deploy` uses. Shared by `npm start` and the tests.
import { readFileSync, readdirSync, mkdirSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import http from "node:http";
import { randomBytes } from "node:crypto";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEV_ADMIN_TOKEN = "flaremesh-dev-admin-token";

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";

/** Every wrangler configuration of the mesh, in the order Miniflare needs (the proxy first: it answers unrouted hosts). */
export function workerConfigPaths() {
  const demoDir = join(ROOT, "infra/demo");
  const demos = existsSync(demoDir)
    ? readdirSync(demoDir)
        .filter((f) => f.endsWith(".toml"))
        .sort()
        .map((f) => join(demoDir, f))
    : [];
  // The telemetry shipper (queue consumer) runs when its config exists.
  const telemetry = existsSync(join(ROOT, "infra/telemetry.toml")) ? [join(ROOT, "infra/telemetry.toml")] : [];
  return [join(ROOT, "infra/proxy.toml"), join(ROOT, "wrangler.toml"), ...telemetry, ...demos];
}

/** Reads a wrangler configuration through wrangler itself, so local runs and deploys agree. */
export async function readWorkerConfig(configPath) {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config: configPath }, { hideWarnings: true });
}

/** Bundles a Worker's `main` with esbuild the way wrangler does (ESM, workerd conditions). */
export async function bundleWorker(config, outDir) {
  const esbuild = await import("esbuild");
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${config.name}.mjs`);
  await esbuild.build({
    entryPoints: [config.main],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    sourcemap: "linked",
    logLevel: "silent",
    define: config.define ?? {},
  });
  return outfile;
}

/**
 * Outbound mTLS (`[[mtls_certificates]]`): that binding does not run locally, so each entry becomes a Miniflare
 * `network` service binding that presents a client keypair in its TLS handshakes. `certificates` maps a binding
 * name to `{certificateChain, privateKey, trustedCertificates?}` (PEM; trustedCertificates: extra CAs for the
 * origin's server certificate, on top of the usual public CAs). A declared binding without a local keypair is
 * left out (an endpoint naming it answers 502 upstream_unavailable); a keypair for a binding the config does not
 * declare is bound too, so that tests and local setups need not edit the wrangler config.
 */
export function mtlsCertificateBindings(config, certificates = {}) {
  const names = new Set([...(config.mtls_certificates ?? []).map((m) => m.binding), ...Object.keys(certificates)]);
  const bindings = {};
  for (const name of names) {
    const cert = certificates[name];
    if (!cert?.certificateChain || !cert?.privateKey) continue;
    bindings[name] = {
      network: {
        allow: ["public", "private", "240.0.0.0/4"],
        tlsOptions: {
          keypair: { privateKey: cert.privateKey, certificateChain: cert.certificateChain },
          trustBrowserCas: true,
          ...(cert.trustedCertificates?.length ? { trustedCertificates: cert.trustedCertificates } : {}),
        },
      },
    };
  }
  return bindings;
}

/**
 * Reads local client keypairs for `mtls_certificates` bindings from a directory: `<BINDING>.crt` (PEM chain)
 * and `<BINDING>.key` (PEM private key), optionally `<BINDING>.ca.crt` (PEM CAs that sign the origin's certificate).
 */
export function readMtlsCertificatesDir(dir) {
  const out = {};
  if (!dir || !existsSync(dir)) return out;
  for (const file of readdirSync(dir)) {
    const m = /^([A-Z][A-Z0-9_]*)\.crt$/.exec(file);
    if (!m || !existsSync(join(dir, `${m[1]}.key`))) continue;
    const ca = join(dir, `${m[1]}.ca.crt`);
    out[m[1]] = {
      certificateChain: readFileSync(join(dir, file), "utf8"),
      privateKey: readFileSync(join(dir, `${m[1]}.key`), "utf8"),
      ...(existsSync(ca) ? { trustedCertificates: [readFileSync(ca, "utf8")] } : {}),
    };
  }
  return out;
}

/**
 * Translates one wrangler config (the fields flaremesh uses) into Miniflare v4-shaped worker options.
 * `sqliteClassesOf(scriptName)` names the SQLite-backed classes of another Worker, for Durable Object bindings
 * with `script_name` (their storage backend is decided by that Worker's migrations, not this one's).
 */
export function toMiniflareWorker(
  config,
  scriptPath,
  extraBindings = {},
  sqliteClassesOf = () => new Set(),
  mtlsCertificates = {},
) {
  const serviceBindings = mtlsCertificateBindings(config, mtlsCertificates);
  for (const s of config.services ?? []) {
    serviceBindings[s.binding] =
      s.entrypoint || s.props
        ? {
            name: s.service,
            ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
            ...(s.props ? { props: s.props } : {}),
          }
        : s.service;
  }
  const durableObjects = {};
  const sqlite = new Set((config.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  for (const d of config.durable_objects?.bindings ?? []) {
    durableObjects[d.name] = {
      className: d.class_name,
      ...(d.script_name ? { scriptName: d.script_name } : {}),
      useSQLite:
        d.script_name && d.script_name !== config.name
          ? sqliteClassesOf(d.script_name).has(d.class_name)
          : sqlite.has(d.class_name),
    };
  }
  // A class only other Workers bind (e.g. RateLimitShard, bound by the proxy with script_name) must still be
  // defined by the Worker that exports it: workerd creates a namespace only for classes its own Worker binds.
  const own = new Set(
    (config.durable_objects?.bindings ?? [])
      .filter((d) => !d.script_name || d.script_name === config.name)
      .map((d) => d.class_name),
  );
  const migrated = (config.migrations ?? []).flatMap((m) => [
    ...(m.new_sqlite_classes ?? []),
    ...(m.new_classes ?? []),
  ]);
  for (const className of migrated) {
    if (!own.has(className))
      durableObjects[`__FLAREMESH_DO_${className}`] = { className, useSQLite: sqlite.has(className) };
  }
  // Queues (telemetry shipping): producers by binding, consumers by queue name.
  const queueProducers = {};
  for (const q of config.queues?.producers ?? []) queueProducers[q.binding] = { queueName: q.queue };
  const queueConsumers = {};
  for (const q of config.queues?.consumers ?? []) {
    queueConsumers[q.queue] = {
      ...(q.max_batch_size !== undefined ? { maxBatchSize: q.max_batch_size } : {}),
      ...(q.max_batch_timeout !== undefined ? { maxBatchTimeout: q.max_batch_timeout } : {}),
      ...(q.max_retries !== undefined ? { maxRetries: q.max_retries } : {}),
    };
  }
  return {
    name: config.name,
    modules: true,
    modulesRoot: dirname(scriptPath),
    scriptPath,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...(config.vars ?? {}), ...extraBindings },
    serviceBindings,
    durableObjects,
    ...(Object.keys(queueProducers).length > 0 ? { queueProducers } : {}),
    ...(Object.keys(queueConsumers).length > 0 ? { queueConsumers } : {}),
  };
}

/** GET/POST over node:http so that the Host header can be chosen (fetch forbids it). */
export function request(port, host, path, { method = "GET", headers = {}, body, hostname = "127.0.0.1" } = {}) {
  return new Promise((resolvePromise, reject) => {
    const req = http.request({ hostname, port, path, method, headers: { host, ...headers } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolvePromise({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Starts the local mesh. Options: port (0 = any free), host, stateDir (persisted Durable Object state;
 * undefined = in memory), adminToken, demo (load the demo resources), env (extra bindings per worker name,
 * e.g. { "flaremesh-control": { MESH_READONLY_TOKEN: "…" } }), log (function for progress lines),
 * mtlsCertificates ({ BINDING: {certificateChain, privateKey, trustedCertificates?} }: client keypairs the proxy
 * presents to origins, see mtlsCertificateBindings) and mtlsCertificatesDir (the same from files, see
 * readMtlsCertificatesDir; `npm start` passes MESH_MTLS_CERTS_DIR).
 */
export async function startLocalMesh(options = {}) {
  const { Miniflare, convertV4MiniflareOptions, Log, LogLevel } = await import("miniflare");
  const log = options.log ?? (() => {});
  const adminToken = options.adminToken ?? DEV_ADMIN_TOKEN;
  // Without a state directory the bundles go to a temporary one, removed by stop().
  const tempBuildDir = options.stateDir ? null : mkdtempSync(join(tmpdir(), "flaremesh-build-"));
  const buildDir = tempBuildDir ?? join(options.stateDir, "build");
  const configs = [];
  for (const path of workerConfigPaths()) configs.push(await readWorkerConfig(path));
  // The proxy trusts `request.cf.tlsClientAuth` only with this per-run secret, which only the mTLS
  // listener knows: locally any client could otherwise choose `request.cf` (Miniflare's MF-CF-Blob header).
  const tlsListenerSecret =
    options.env?.["flaremesh-proxy"]?.MESH_TLS_LISTENER_SECRET ?? randomBytes(32).toString("base64url");
  // Outbound mTLS keypairs for the proxy's `mtls_certificates` bindings: from a directory, then the option.
  const mtlsCertificates = {
    ...readMtlsCertificatesDir(options.mtlsCertificatesDir),
    ...(options.mtlsCertificates ?? {}),
  };
  const workers = [];
  for (const config of configs) {
    const scriptPath = await bundleWorker(config, buildDir);
    const extra = { ...(options.env?.[config.name] ?? {}) };
    if (config.name === "flaremesh-control") {
      extra.MESH_ENV = "development";
      extra.MESH_ADMIN_TOKEN = adminToken;
      if (adminToken === DEV_ADMIN_TOKEN) extra.MESH_DEV_TOKEN = adminToken;
    }
    if (config.name === "flaremesh-proxy") extra.MESH_TLS_LISTENER_SECRET = tlsListenerSecret;
    const worker = toMiniflareWorker(
      config,
      scriptPath,
      extra,
      (name) => sqliteClassesOf(configs, name),
      config.name === "flaremesh-proxy" ? mtlsCertificates : {},
    );
    if (config.name === "flaremesh-control") worker.routes = ["control.localhost/*", "localhost/*", "127.0.0.1/*"];
    workers.push(worker);
  }
  const v4 = {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    log: new Log(options.verbose ? LogLevel.DEBUG : LogLevel.WARN),
    workers,
    // V8 inspector (per isolate: ws://127.0.0.1:<port>/core:user:<worker>), e.g. to force GC in memory tests.
    ...(options.inspectorPort !== undefined ? { inspectorPort: options.inspectorPort } : {}),
  };
  const mfOptions = convertV4MiniflareOptions(v4);
  if (options.stateDir) mfOptions.resourcePersistencePath = resolve(options.stateDir, "state");
  mfOptions.enableDevRegistry = false;
  const mf = new Miniflare(mfOptions);
  const url = await mf.ready;
  const port = Number(url.port);
  await waitHealthy(port);
  if (options.demo) await applyDemo(port, adminToken, log);
  let mtls = null;
  if (options.mtlsPort !== undefined && options.mtlsPort !== null) {
    const { startMtlsListener } = await import("./mtls-listener.mjs");
    mtls = await startMtlsListener({ mf, meshPort: port, secret: tlsListenerSecret, port: Number(options.mtlsPort) });
  }
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    adminToken,
    mf,
    mtls,
    tlsListenerSecret,
    async stop() {
      if (stopped) return;
      stopped = true;
      await mtls?.close();
      await mf.dispose();
      if (tempBuildDir !== null) rmSync(tempBuildDir, { recursive: true, force: true });
    },
  };
}

/** The classes the Worker named `name` declares SQLite-backed in its migrations. */
function sqliteClassesOf(configs, name) {
  const config = configs.find((c) => c.name === name);
  return new Set((config?.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
}

async function waitHealthy(port) {
  const deadline = Date.now() + 30_000;
  let last;
  while (Date.now() < deadline) {
    try {
      const res = await request(port, "control.localhost", "/healthz");
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`control plane did not become healthy: ${last}`);
}

/** Applies the demo resources (idempotent: an unchanged demo creates no revision). */
export async function applyDemo(port, adminToken, log = () => {}) {
  const body = readFileSync(join(ROOT, "infra/demo/bookinfo.yaml"), "utf8");
  const res = await request(port, "control.localhost", "/v1/apply", {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/yaml" },
    body,
  });
  if (res.status !== 200) throw new Error(`demo apply failed: ${res.status} ${res.body}`);
  const { revision, results } = JSON.parse(res.body);
  const changed = results.filter((r) => r.action !== "unchanged").length;
  log(`demo loaded (revision ${revision}, ${changed} changed, ${results.length - changed} unchanged)`);
}
