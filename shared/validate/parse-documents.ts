// Parses a request body (one resource, a JSON array, or multi-document YAML) into plain documents, safely.
import { LineCounter, parseAllDocuments } from "yaml";
import type { ErrorDetail } from "../errors";
import { MeshError } from "../errors";
import { jsonErrorPosition } from "./json-position";

/** The control plane refuses bodies above 1 MiB; the parser enforces the same bound on its own. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_DOCUMENTS = 1000;
/** YAML aliases a document may expand (guards against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of objects/lists accepted; real resources stay far below, and deep values break JSON.stringify. */
export const MAX_DEPTH = 64;

function badRequest(message: string, details: ErrorDetail[] = []): MeshError {
  return new MeshError("bad_request", message, { details });
}

function byteLength(body: string): number {
  // Most bodies are far below the limit; only count exactly near it.
  if (body.length * 3 <= MAX_BODY_BYTES) return body.length;
  return new TextEncoder().encode(body).length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Expands `kind: List` documents (as written by `kubectl get -o yaml`) into their items. */
function expandLists(docs: { value: unknown; label: string }[]): unknown[] {
  const out: unknown[] = [];
  for (const { value, label } of docs) {
    if (tooDeep(value))
      throw badRequest(`document ${label} nests too deeply`, [
        { document: label, message: `nesting deeper than ${MAX_DEPTH} levels` },
      ]);
    if (!isPlainObject(value)) {
      throw badRequest(`document ${label} is not an object`, [
        {
          document: label,
          message: `expected a resource object, got ${Array.isArray(value) ? "a list" : typeof value}`,
        },
      ]);
    }
    if (value.kind === "List" && (value.apiVersion === "v1" || value.apiVersion === undefined) && "items" in value) {
      if (!Array.isArray(value.items))
        throw badRequest(`document ${label}: List items must be a list`, [
          { document: label, path: "items", message: "must be a list" },
        ]);
      value.items.forEach((item, i) => {
        if (!isPlainObject(item))
          throw badRequest(`document ${label}: items[${i}] is not an object`, [
            { document: label, path: `items[${i}]`, message: "expected a resource object" },
          ]);
        out.push(item);
      });
    } else {
      out.push(value);
    }
    if (out.length > MAX_DOCUMENTS) throw badRequest(`too many documents (more than ${MAX_DOCUMENTS})`);
  }
  return out;
}

/** Whether a parsed value nests deeper than MAX_DEPTH (iterative, so it cannot overflow the stack itself). */
function tooDeep(root: unknown): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

function parseJson(body: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const pos = jsonErrorPosition(body);
    const where = pos === undefined ? "" : `line ${pos.line}, column ${pos.column}: `;
    throw badRequest(`invalid JSON${pos === undefined ? "" : ` at line ${pos.line}`}`, [
      { document: "#0", message: `${where}${(err as Error).message}` },
    ]);
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_DOCUMENTS) throw badRequest(`too many documents (more than ${MAX_DOCUMENTS})`);
  return expandLists(items.map((v, i) => ({ value: v, label: `#${i}` })));
}

function parseYaml(body: string): unknown[] {
  const lineCounter = new LineCounter();
  let parsed;
  try {
    parsed = parseAllDocuments(body, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    throw badRequest("invalid YAML", [{ document: "#0", message: (err as Error).message }]);
  }
  // A stream with a trailing syntax error returns an EmptyStream-like array; both forms are iterable.
  const documents = Array.from(parsed);
  if (documents.length > MAX_DOCUMENTS) throw badRequest(`too many documents (more than ${MAX_DOCUMENTS})`);
  const values: { value: unknown; label: string }[] = [];
  for (const doc of documents) {
    const label = `#${values.length}`;
    const error = doc.errors[0];
    if (error !== undefined) {
      const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      const message = error.message.split("\n")[0] ?? error.message;
      throw badRequest(`invalid YAML in document ${label} at line ${pos.line}`, [
        { document: label, message: `line ${pos.line}, column ${pos.col}: ${message}` },
      ]);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // Alias bombs (ReferenceError), unresolved aliases, and stack overflows on absurd nesting.
      const reason = err instanceof RangeError ? "document nests too deeply" : (err as Error).message;
      throw badRequest(`invalid YAML in document ${label}`, [{ document: label, message: reason }]);
    }
    if (value === null || value === undefined) continue; // empty document (`---` followed by nothing)
    values.push({ value, label });
  }
  return expandLists(values);
}

/**
 * Parses a body into plain documents, in order. Empty YAML documents are skipped; `kind: List` is
 * expanded. Throws MeshError `bad_request` (document `#index`, line/column in the message) for syntax
 * errors, non-object documents and too many documents, and `payload_too_large` above 1 MiB.
 */
export function parseDocuments(body: string, media: "yaml" | "json"): unknown[] {
  if (byteLength(body) > MAX_BODY_BYTES) throw new MeshError("payload_too_large", "request body is larger than 1 MiB");
  if (body.trim() === "") throw badRequest("request body is empty");
  const documents = media === "json" ? parseJson(body) : parseYaml(body);
  if (documents.length === 0) throw badRequest("request contains no documents");
  return documents;
}
