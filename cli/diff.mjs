// `flaremesh diff -f FILE`: compares the files with what is applied; exit 0 no differences, 1 differences, 2 error.

import YAML from "yaml";
import { ApiError, InputError, UsageError } from "./errors.mjs";
import { paint } from "./output.mjs";
import { resolveKind } from "./kinds.mjs";
import { unifiedDiff } from "./line-diff.mjs";
import { loadDocuments } from "./sources.mjs";
import { loadValidation } from "./validation.mjs";

export function registerDiff(program, { clientOf, collect }) {
  program
    .command("diff")
    .description("show how the files differ from the applied resources (exit 0: none, 1: differences, 2: error)")
    .requiredOption(
      "-f, --filename <path>",
      "a file, a directory (*.yaml, *.yml, *.json) or - for stdin; repeatable",
      collect,
      [],
    )
    .option("-n, --namespace <namespace>", "namespace for documents that name none", "default")
    .action(async (options, command) => {
      const client = clientOf(command);
      const docs = await loadDocuments(options.filename);
      if (docs.length === 0) throw new UsageError("no objects passed to diff");
      const wanted = await normalize(docs, options.namespace);
      let differences = 0;
      for (const { id, content, source } of wanted) {
        const live = await fetchLive(client, id);
        const before = live ? render(userContent(live)) : "";
        const after = render(content);
        const text = unifiedDiff(before, after, {
          fromLabel: live ? `${id.label} (live, revision ${live.metadata?.resourceVersion ?? "?"})` : "/dev/null",
          toLabel: `${id.label} (${source})`,
        });
        if (text === "") continue;
        differences++;
        process.stdout.write(`diff -u ${id.label}\n${colorize(text)}`);
      }
      process.exitCode = differences > 0 ? 1 : 0;
    });
}

/**
 * What the server would store for each document: validated with the control plane's own code (defaults filled,
 * kinds canonical), reduced to the fields a user owns. Without usable validation code, the raw documents.
 */
async function normalize(docs, namespace) {
  const raw = docs.map(({ doc }) => withNamespace(doc, namespace));
  let resources = raw;
  try {
    const validation = await loadValidation();
    const result = validation.validateDocuments(raw, { environment: "development" });
    if (!result.ok) {
      const lines = result.problems.map((p) => [p.document, p.path].filter(Boolean).concat(p.message).join(": "));
      throw new InputError("the files are not valid; nothing to compare", lines);
    }
    resources = result.resources;
  } catch (err) {
    if (err instanceof UsageError && err.lines.length > 0) throw err;
    process.stderr.write(
      `warning: comparing without local validation (${err instanceof Error ? err.message : String(err)})\n`,
    );
  }
  return resources.map((resource, i) => {
    const kind = resolveKind(resource.kind) ?? String(resource.kind);
    const { namespace: ns, name } = resource.metadata ?? {};
    return {
      id: { kind, namespace: ns, name, label: `${kind}/${ns}/${name}` },
      content: userContent({ ...resource, kind }),
      source: docs[i].source,
    };
  });
}

function withNamespace(doc, namespace) {
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw new InputError("every document must be a resource object");
  const metadata = doc.metadata && typeof doc.metadata === "object" ? doc.metadata : {};
  return { ...doc, metadata: { ...metadata, namespace: metadata.namespace ?? namespace } };
}

async function fetchLive(client, id) {
  const path = `/v1/resources/${[id.kind, id.namespace, id.name].map(encodeURIComponent).join("/")}`;
  try {
    return await client.request("GET", path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** The user-owned part of a resource, as the control plane compares them (server fields and empty maps left out). */
export function userContent(resource) {
  const { name, namespace, labels, annotations } = resource.metadata ?? {};
  const nonEmpty = (map) => (map && Object.keys(map).length > 0 ? map : undefined);
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: { name, namespace: namespace ?? "default", labels: nonEmpty(labels), annotations: nonEmpty(annotations) },
    spec: resource.spec,
  };
}

/** YAML with keys sorted and undefined members dropped, so equal content gives equal text. */
function render(value) {
  return YAML.stringify(sortKeys(value));
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  return out;
}

function colorize(text) {
  return text
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return paint("bold", line);
      if (line.startsWith("+")) return paint("green", line);
      if (line.startsWith("-")) return paint("red", line);
      if (line.startsWith("@@")) return paint("cyan", line);
      return line;
    })
    .join("\n");
}
