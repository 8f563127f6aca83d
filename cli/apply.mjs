// `flaremesh apply -f FILE|DIR|-`: sends every document in one POST /v1/apply and prints what happened to each.

import { Option } from "commander";
import YAML from "yaml";
import { ApiError, UsageError } from "./errors.mjs";
import { formatDetail, paint, printStructured } from "./output.mjs";
import { loadDocuments } from "./sources.mjs";

const ACTION_COLOR = { created: "green", configured: "yellow", unchanged: "dim" };

export function registerApply(program, { clientOf, collect }) {
  program
    .command("apply")
    .description("create or update resources from YAML/JSON files, directories or stdin (all or nothing, one revision)")
    .requiredOption(
      "-f, --filename <path>",
      "a file, a directory (*.yaml, *.yml, *.json) or - for stdin; repeatable",
      collect,
      [],
    )
    .option("-n, --namespace <namespace>", "namespace for documents that name none")
    .option("--dry-run", "validate and report the outcome without changing anything")
    .addOption(
      new Option("-o, --output <format>", "print the server's answer instead of one line per resource").choices([
        "json",
        "yaml",
      ]),
    )
    .action(async (options, command) => {
      const docs = await loadDocuments(options.filename);
      if (docs.length === 0) throw new UsageError("no objects passed to apply");
      if (options.namespace) for (const { doc } of docs) setDefaultNamespace(doc, options.namespace);
      const body = docs.map(({ doc }) => YAML.stringify(doc)).join("---\n");
      if (process.stderr.isTTY && docs.length > 1) {
        const files = new Set(docs.map((d) => d.source)).size;
        process.stderr.write(
          paint(
            "dim",
            `${options.dryRun ? "checking" : "applying"} ${docs.length} documents from ${files} file(s)…\n`,
            process.stderr,
          ),
        );
      }
      const path = options.dryRun ? "/v1/apply?dryRun=true" : "/v1/apply";
      let answer;
      try {
        answer = await clientOf(command).request("POST", path, { body, contentType: "application/yaml" });
      } catch (err) {
        throw err instanceof ApiError ? withSources(err, docs) : err;
      }
      if (options.output) return printStructured(options.output, answer);
      const suffix = options.dryRun ? " (dry run)" : "";
      for (const result of answer.results ?? []) {
        const action = paint(ACTION_COLOR[result.action] ?? "bold", result.action);
        process.stdout.write(`${String(result.kind).toLowerCase()}/${result.name} ${action}${suffix}\n`);
      }
      for (const warning of answer.warnings ?? []) {
        process.stderr.write(`${paint("yellow", "Warning:", process.stderr)} ${formatDetail(warning)}\n`);
      }
    });
}

function setDefaultNamespace(doc, namespace) {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return;
  doc.metadata ??= {};
  if (typeof doc.metadata === "object" && doc.metadata.namespace === undefined) doc.metadata.namespace = namespace;
}

/** The server names unnamed documents `#i` (request order); say which file each came from. */
function withSources(err, docs) {
  const details = err.details.map((detail) => {
    const match = /^#(\d+)$/.exec(detail.document ?? "");
    const doc = match ? docs[Number(match[1])] : undefined;
    return doc ? { ...detail, document: `${detail.document} (${doc.source}, document ${doc.index})` } : detail;
  });
  return new ApiError(err.status, err.code, err.message, details);
}
