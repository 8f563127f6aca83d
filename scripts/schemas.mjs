// `npm run schemas`: writes schemas/<kind>.json, schemas/all.json, schemas/meshmanifest.json and
// docs/reference/resources.md from the zod schemas (shared/resources, infra/generator/manifest.mjs).
// `-- --check` writes nothing and exits 1 when a committed file is stale.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import * as prettier from "prettier";
import * as z from "zod";
import { MeshManifest } from "../infra/generator/manifest.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

/** The generated files, path → content, computed by schemas/build.ts and schemas/reference.ts. */
export async function generatedFiles() {
  const out = join(tmpdir(), `flaremesh-schemas-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: 'export * from "./schemas/build.ts"; export * from "./schemas/reference.ts";',
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    logLevel: "error",
  });
  const mod = await import(pathToFileURL(out).href);
  const schemas = mod.buildSchemas();
  const files = {};
  for (const [name, schema] of Object.entries(schemas))
    files[join("schemas", name)] = `${JSON.stringify(schema, null, 2)}\n`;
  const manifest = z.toJSONSchema(MeshManifest, { target: "draft-7", io: "input", unrepresentable: "any" });
  const { $schema, ...rest } = manifest;
  files[join("schemas", "meshmanifest.json")] = `${JSON.stringify(
    {
      $schema,
      $id: `${mod.SCHEMA_BASE_URL}/meshmanifest.json`,
      title: "MeshManifest (flaremesh generate)",
      ...rest,
    },
    null,
    2,
  )}\n`;
  files[join("docs/reference/resources.md")] = `${mod.renderResourceReference(schemas)}\n`;
  return files;
}

/** Formatted as `npm run format` would, so that the format check and `--check` agree. */
async function formatted(path, content) {
  const options = (await prettier.resolveConfig(join(ROOT, path))) ?? {};
  return prettier.format(content, { ...options, filepath: join(ROOT, path) });
}

const files = await generatedFiles();
for (const path of Object.keys(files)) files[path] = await formatted(path, files[path]);
let stale = 0;
for (const [path, content] of Object.entries(files)) {
  const full = join(ROOT, path);
  let current;
  try {
    current = readFileSync(full, "utf8");
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale++;
  if (check) {
    process.stderr.write(`stale: ${relative(ROOT, full)} (run npm run schemas)\n`);
    continue;
  }
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  process.stdout.write(`wrote ${relative(ROOT, full)}\n`);
}
if (check && stale > 0) process.exit(1);
if (!check && stale === 0) process.stdout.write("schemas are up to date\n");
