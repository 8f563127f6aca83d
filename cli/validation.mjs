// Loads the control plane's own validation code (shared/validate, TypeScript) and the offline analyzers
// (shared/analyze) into the CLI: esbuild bundles them once into node_modules/.cache/flaremesh/, and the bundle
// is rebuilt whenever one of its inputs changes.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { UsageError } from "./errors.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = join(ROOT, "shared/validate/index.ts");
const ANALYZE = join(ROOT, "shared/analyze/index.ts");
const NAME = "validate-analyze";
/** The bundle's entry: validation exactly as the control plane runs it, plus the analyzers under `analyze`. */
const ENTRY_SOURCE = `export * from ${JSON.stringify(ENTRY)};\nexport * as analyze from ${JSON.stringify(ANALYZE)};\n`;

/**
 * @typedef {{document?: string, path?: string, message: string}} Detail
 * @typedef {{
 *   parseDocuments(body: string, media: "yaml" | "json"): unknown[],
 *   validateDocuments(docs: unknown[], options: {environment: string}):
 *     {ok: true, resources: any[], warnings: Detail[]} | {ok: false, problems: Detail[]},
 *   checkReferences(resources: any[], options: {environment: string}): Detail[],
 *   analyze: {
 *     analyzeResources(resources: any[]): Array<Detail & {severity: "error" | "warning", code: string, id: string}>,
 *     affectedServices(resource: any, all: any[]): Array<{service: string, role: string}>,
 *     resourcesAffecting(service: string, all: any[]): Array<{resource: any, roles: string[]}>,
 *     documentLocator(text: string): {count: number, locate(index: number, path?: string): {line: number, column: number} | undefined},
 *   },
 * }} Validation
 */

/** @returns {Promise<Validation>} */
export async function loadValidation() {
  const dir = cacheDir();
  const bundle = join(dir, `${NAME}.mjs`);
  const manifest = join(dir, `${NAME}.inputs.json`);
  if (!isFresh(manifest)) await build(bundle, manifest);
  const stamp = statSync(bundle).mtimeMs;
  return import(`${pathToFileURL(bundle).href}?v=${stamp}`);
}

function cacheDir() {
  const preferred = join(ROOT, "node_modules/.cache/flaremesh");
  try {
    mkdirSync(preferred, { recursive: true });
    return preferred;
  } catch {
    const fallback = join(tmpdir(), "flaremesh-cache");
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

/** The manifest maps every bundled input to its size and mtime; any change (or a missing bundle) means rebuild. */
function isFresh(manifest) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(manifest, "utf8")).inputs;
    statSync(manifest.replace(/\.inputs\.json$/, ".mjs"));
  } catch {
    return false;
  }
  return Object.entries(inputs).every(([file, [size, mtime]]) => {
    try {
      const stat = statSync(file);
      return stat.size === size && stat.mtimeMs === mtime;
    } catch {
      return false;
    }
  });
}

async function build(bundle, manifest) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new UsageError("offline validation needs esbuild; run `npm install` in the flaremesh checkout");
  }
  let result;
  try {
    result = await esbuild.build({
      stdin: { contents: ENTRY_SOURCE, resolveDir: ROOT, sourcefile: "flaremesh-cli-entry.ts", loader: "ts" },
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      metafile: true,
      logLevel: "silent",
      absWorkingDir: ROOT,
      // Bundled CommonJS dependencies may `require` Node built-ins; give the ESM bundle a real `require`.
      banner: {
        js: 'import { createRequire as __flaremeshRequire } from "node:module"; const require = __flaremeshRequire(import.meta.url);',
      },
    });
  } catch (err) {
    const messages = (err?.errors ?? []).map((e) => `${e.location?.file ?? ""}:${e.location?.line ?? ""} ${e.text}`);
    throw new UsageError(`cannot build the validation code from ${ENTRY}`, messages);
  }
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.startsWith("<") || input === "flaremesh-cli-entry.ts") continue; // the virtual entry
    const file = resolve(ROOT, input);
    const stat = statSync(file);
    inputs[file] = [stat.size, stat.mtimeMs];
  }
  // Write-then-rename so that concurrent CLI runs never import a half-written bundle.
  const unique = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(`${bundle}.${unique}`, result.outputFiles[0].text);
  renameSync(`${bundle}.${unique}`, bundle);
  writeFileSync(`${manifest}.${unique}`, JSON.stringify({ entry: ENTRY, inputs }));
  renameSync(`${manifest}.${unique}`, manifest);
}
