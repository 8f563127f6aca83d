// Reads `-f FILE|DIR|-` into documents: multi-document YAML or JSON, directories in name order, stdin.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import YAML from "yaml";
import { InputError, UsageError } from "./errors.mjs";

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);
export const STDIN = "<stdin>";

/**
 * The files named by the `-f` values, in order; a directory contributes its *.yaml, *.yml and *.json files
 * sorted by name (not recursively). `-` is standard input.
 * @returns {Promise<Array<{name: string, text: string}>>}
 */
export async function readSources(paths) {
  if (paths.length === 0) throw new UsageError("no input: pass -f FILE, -f DIR or -f -");
  const sources = [];
  for (const path of paths) {
    if (path === "-") {
      sources.push({ name: STDIN, text: await readStdin() });
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`the path "${path}" does not exist`);
    }
    if (!stat.isDirectory()) {
      sources.push({ name: path, text: readFileSync(path, "utf8") });
      continue;
    }
    const files = readdirSync(path)
      .filter((f) => EXTENSIONS.has(extname(f).toLowerCase()))
      .sort()
      .map((f) => join(path, f))
      .filter((f) => statSync(f).isFile());
    if (files.length === 0) throw new UsageError(`no .yaml, .yml or .json files in directory "${path}"`);
    for (const file of files) sources.push({ name: file, text: readFileSync(file, "utf8") });
  }
  return sources;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** `json` for *.json files and for stdin that starts with `{` or `[`; otherwise `yaml`. */
export function mediaOf(source) {
  if (extname(source.name).toLowerCase() === ".json") return "json";
  return source.name === STDIN && /^\s*[[{]/.test(source.text) ? "json" : "yaml";
}

/**
 * The documents of one source, in order; empty YAML documents are skipped, and a JSON/YAML array or a
 * `{kind: List, items}` / `{items}` wrapper (what `get -o json` prints) contributes its items.
 * @returns {Array<{source: string, index: number, doc: unknown}>}
 */
export function splitDocuments(source) {
  const values = mediaOf(source) === "json" ? [parseJson(source)] : parseYaml(source);
  const docs = [];
  for (const value of values.flatMap(flatten)) docs.push({ source: source.name, index: docs.length, doc: value });
  return docs;
}

function parseJson(source) {
  try {
    return JSON.parse(source.text);
  } catch (err) {
    throw new InputError(`${source.name}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseYaml(source) {
  const parsed = YAML.parseAllDocuments(source.text, { prettyErrors: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  const problems = documents.flatMap((doc, i) =>
    doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line;
      return `document ${i}${line ? `, line ${line}` : ""}: ${e.message.split("\n")[0].replace(/:$/, "")}`;
    }),
  );
  if (problems.length > 0) throw new InputError(`${source.name}: invalid YAML`, problems);
  return documents.map((doc) => doc.toJS());
}

function flatten(value) {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (typeof value === "object" && Array.isArray(value.items) && (value.kind === undefined || value.kind === "List")) {
    return value.items.flatMap(flatten);
  }
  return [value];
}

/** Loads every document of every `-f` value. */
export async function loadDocuments(paths) {
  const sources = await readSources(paths);
  return sources.flatMap(splitDocuments);
}

/** `Kind/name` as the server names documents, or `#i` when the document has no usable kind/name. */
export function documentLabel(doc, globalIndex) {
  const kind = doc && typeof doc === "object" ? doc.kind : undefined;
  const name =
    doc && typeof doc === "object" && doc.metadata && typeof doc.metadata === "object" ? doc.metadata.name : undefined;
  return typeof kind === "string" && typeof name === "string" ? `${kind}/${name}` : `#${globalIndex}`;
}
