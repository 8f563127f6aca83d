// `flaremesh validate -f FILE|DIR|-`: offline, with the control plane's own validation code (shared/validate).

import { Option } from "commander";
import { paint } from "./output.mjs";
import { readSources, mediaOf } from "./sources.mjs";
import { loadValidation } from "./validation.mjs";

export function registerValidate(program, { collect }) {
  program
    .command("validate")
    .description("check files offline with the same validation as the control plane; exit 1 on problems")
    .requiredOption(
      "-f, --filename <path>",
      "a file, a directory (*.yaml, *.yml, *.json) or - for stdin; repeatable",
      collect,
      [],
    )
    .option(
      "--complete",
      "the files are the whole mesh: also check references between them (routes to unknown Services, subsets...)",
    )
    .addOption(
      new Option("--environment <env>", "production refuses private and loopback endpoint URLs")
        .choices(["production", "development"])
        .default("production"),
    )
    .action(async (options) => {
      const problems = await validateSources(options.filename, options);
      process.exitCode = problems > 0 ? 1 : 0;
    });
}

/**
 * Validates each source on its own (documents named as the server names them, `#i` counting within the
 * file), then, with `complete`, the references across all of them. Prints `FILE: Kind/name: path: message`
 * lines and returns how many problems there were.
 */
export async function validateSources(paths, { complete = false, environment = "production" } = {}) {
  const sources = await readSources(paths);
  const validation = await loadValidation();
  const options = { environment };
  const resources = [];
  const origin = new Map();
  let problems = 0;
  const say = (file, detail, warning = false) => {
    const parts = [file, detail.document, detail.path].filter(Boolean);
    const message = warning ? `${paint("yellow", "warning:")} ${detail.message}` : detail.message;
    process.stdout.write(`${parts.join(": ")}: ${message}\n`);
  };
  for (const source of sources) {
    let documents;
    try {
      documents = validation.parseDocuments(source.text, mediaOf(source));
    } catch (err) {
      const details = err?.details?.length
        ? err.details
        : [{ message: err instanceof Error ? err.message : String(err) }];
      details.forEach((d) => say(source.name, d));
      problems += details.length;
      continue;
    }
    const result = validation.validateDocuments(documents, options);
    if (!result.ok) {
      result.problems.forEach((d) => say(source.name, d));
      problems += result.problems.length;
      continue;
    }
    result.warnings.forEach((d) => say(source.name, d, true));
    for (const resource of result.resources) {
      resources.push(resource);
      const { kind, metadata } = resource;
      origin
        .set(`${kind}/${metadata.name}`, source.name)
        .set(`${kind}/${metadata.namespace}/${metadata.name}`, source.name);
    }
    process.stdout.write(
      `${source.name}: ${paint("green", "valid")} (${result.resources.length} document${result.resources.length === 1 ? "" : "s"})\n`,
    );
  }
  if (complete && problems === 0) {
    const broken = validation.checkReferences(resources, options);
    broken.forEach((d) => say(origin.get(d.document ?? "") ?? sources.map((s) => s.name).join(", "), d));
    problems += broken.length;
  }
  return problems;
}
