// Reads the repo's base wrangler configurations (with wrangler's own reader) and writes the generated files.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { generateConfigs } from "./generate.mjs";
import { serviceResources } from "./resources.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The control plane's wrangler.toml and the proxy's infra/proxy.toml, as wrangler reads them. */
export async function readBaseConfigs(root = ROOT) {
  const { unstable_readConfig } = await import("wrangler");
  const read = (file) => unstable_readConfig({ config: join(root, file) }, { hideWarnings: true });
  const pick = (c) => ({
    main: c.main,
    compatibility_date: c.compatibility_date,
    compatibility_flags: c.compatibility_flags,
    durable_objects: c.durable_objects,
    migrations: c.migrations,
    secrets: c.secrets,
    vars: c.vars,
    queues: c.queues,
  });
  const control = pick(read("wrangler.toml"));
  const proxy = pick(read("infra/proxy.toml"));
  // The telemetry shipper (queue consumer) exists once telemetry is part of the checkout.
  const telemetry = existsSync(join(root, "infra/telemetry.toml")) ? pick(read("infra/telemetry.toml")) : undefined;
  // The local development vars of the base files are not what a deployment wants.
  delete proxy.vars?.MESH_HOST_SUFFIXES;
  return { control, proxy, ...(telemetry ? { telemetry } : {}) };
}

function jsonc(config) {
  const { $comment, ...rest } = config;
  return `// ${$comment}\n${JSON.stringify(rest, null, 2)}\n`;
}

/** Generates and writes everything under `outDir`; returns the generation result. */
export async function writeGenerated(manifest, outDir) {
  const out = resolve(outDir);
  const base = await readBaseConfigs();
  const result = generateConfigs(manifest, base, { outDir: out });
  for (const item of [...result.configs, ...result.snippets]) {
    const file = join(out, item.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, jsonc(item.config));
  }
  writeFileSync(
    join(out, "services.yaml"),
    `# The Service resources of this mesh: npx flaremesh apply -f services.yaml\n${serviceResources(manifest)
      .map((r) => YAML.stringify(r))
      .join("---\n")}`,
  );
  writeFileSync(join(out, "mesh.json"), `${JSON.stringify(result.summary, null, 2)}\n`);
  return result;
}
