// `flaremesh validate -f FILE|DIR|-`: offline, like `istioctl analyze`. The control plane's own validation code
// (shared/validate) decides what is valid; the analyzers (shared/analyze) add likely mistakes. Every finding is
// reported as FILE:LINE:COLUMN with the document and the field path.

import { Option } from "commander";
import { paint, printStructured } from "./output.mjs";
import { readSources, mediaOf } from "./sources.mjs";
import { loadValidation } from "./validation.mjs";

export function registerValidate(program, { collect }) {
  program
    .command("validate")
    .alias("analyze")
    .description(
      "check files offline with the control plane's validation plus analyzers (exit 1 on errors, 0 with only warnings)",
    )
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
    .option("--fail-on-warnings", "exit 1 on warnings too")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json", "yaml"]).default("text"))
    .action(async (options) => {
      const report = await validateSources(options.filename, options);
      if (options.output === "text") printReport(report);
      else printStructured(options.output, report);
      const failing = report.errors + (options.failOnWarnings ? report.warnings : 0);
      process.exitCode = failing > 0 ? 1 : 0;
    });
}

/**
 * @typedef {{file: string, line?: number, column?: number, severity: "error" | "warning", code?: string,
 *            document?: string, path?: string, message: string}} Problem
 * @typedef {{files: Array<{file: string, documents: number, valid: boolean}>, problems: Problem[],
 *            errors: number, warnings: number}} Report
 */

/**
 * Validates each source on its own, exactly as one apply of that file would be (documents named as the
 * server names them, `#i` counting within the file); then runs the analyzers over everything valid, and with
 * `complete` the cross-references too. Each problem is located in its file.
 * @returns {Promise<Report>}
 */
export async function validateSources(paths, { complete = false, environment = "production" } = {}) {
  const sources = await readSources(paths);
  const validation = await loadValidation();
  const options = { environment };
  /** @type {Problem[]} */
  const problems = [];
  const files = [];
  const resources = [];
  /** `Kind/namespace/name` and `Kind/name` → where the document is. */
  const origin = new Map();

  for (const source of sources) {
    const locator = validation.analyze.documentLocator(source.text);
    const at = (index, path) => (index === undefined ? {} : (locator.locate(index, path) ?? {}));
    let documents;
    try {
      documents = validation.parseDocuments(source.text, mediaOf(source));
    } catch (err) {
      const details = err?.details?.length
        ? err.details
        : [{ message: err instanceof Error ? err.message : String(err) }];
      for (const d of details)
        problems.push({ file: source.name, ...lineFromMessage(d.message), severity: "error", ...d });
      files.push({ file: source.name, documents: 0, valid: false });
      continue;
    }
    const indexOf = documentIndexer(documents);
    const result = validation.validateDocuments(documents, options);
    if (!result.ok) {
      for (const d of result.problems) {
        problems.push({ file: source.name, ...at(indexOf(d), d.path), severity: "error", ...d });
      }
      files.push({ file: source.name, documents: documents.length, valid: false });
      continue;
    }
    for (const d of result.warnings) {
      problems.push({ file: source.name, ...at(indexOf(d), d.path), severity: "warning", ...d });
    }
    const own = new Map();
    result.resources.forEach((resource, index) => {
      resources.push(resource);
      const where = { file: source.name, locate: (path) => at(index, path) };
      const { kind, metadata } = resource;
      for (const map of [origin, own]) {
        map.set(`${kind}/${metadata.namespace}/${metadata.name}`, where);
        if (!map.has(`${kind}/${metadata.name}`)) map.set(`${kind}/${metadata.name}`, where);
      }
    });
    // Each file on its own is one apply; with --complete the analyzers see all files together (below).
    if (!complete) problems.push(...analyzerProblems(validation, result.resources, own, source.name));
    files.push({ file: source.name, documents: result.resources.length, valid: true });
  }

  if (complete && problems.every((p) => p.severity !== "error")) {
    const seen = new Set();
    for (const d of validation.checkReferences(resources, options)) {
      seen.add(`${d.document} ${d.path}`);
      problems.push({ ...placeIn(origin, d, d.document, sources), severity: "error", ...d });
    }
    const analyzed = analyzerProblems(validation, resources, origin, sources.map((s) => s.name).join(", "));
    problems.push(...analyzed.filter((p) => !seen.has(`${p.document} ${p.path}`)));
  }
  const order = new Map(sources.map((s, i) => [s.name, i]));
  problems.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0));
  const errors = problems.filter((p) => p.severity === "error").length;
  return { files, problems, errors, warnings: problems.length - errors };
}

/** The analyzers' findings over `resources`, each located through `origin` (`Kind/namespace/name` → file). */
function analyzerProblems(validation, resources, origin, fallbackFile) {
  return validation.analyze.analyzeResources(resources).map(({ id, ...finding }) => {
    const where = origin.get(id) ?? origin.get(finding.document);
    return { ...(where ? { file: where.file, ...where.locate(finding.path) } : { file: fallbackFile }), ...finding };
  });
}

function placeIn(origin, detail, key, sources) {
  const where = origin.get(key) ?? origin.get(detail.document ?? "");
  return where ? { file: where.file, ...where.locate(detail.path) } : { file: sources.map((s) => s.name).join(", ") };
}

/**
 * Maps a problem's document label back to the document's index in its file: `#i` is the index itself;
 * `Kind/name` is the document with that label (the last one when a duplicate is reported).
 */
function documentIndexer(documents) {
  const labels = documents.map((doc, i) => {
    const kind = doc && typeof doc === "object" ? doc.kind : undefined;
    const name = doc?.metadata && typeof doc.metadata === "object" ? doc.metadata.name : undefined;
    return typeof kind === "string" && kind !== "" && typeof name === "string" && name !== ""
      ? `${kind}/${name}`
      : `#${i}`;
  });
  return (detail) => {
    const m = /^#(\d+)$/.exec(detail.document ?? "");
    if (m) return Number(m[1]);
    const index = labels.lastIndexOf(detail.document ?? "");
    if (index < 0) return undefined;
    return /^duplicate/.test(detail.message) ? index : labels.indexOf(detail.document);
  };
}

/** Syntax errors carry `line N, column M: …` in their message. */
function lineFromMessage(message) {
  const m = /line (\d+), column (\d+)/.exec(message ?? "");
  return m ? { line: Number(m[1]), column: Number(m[2]) } : {};
}

/** `FILE:LINE:COL: error: Kind/name: path: message [code]`, then one summary line per file. */
function printReport(report) {
  const out = process.stdout;
  for (const p of report.problems) {
    const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(":");
    const severity = p.severity === "error" ? paint("red", "error:") : paint("yellow", "warning:");
    const subject = [p.document, p.path].filter(Boolean).join(": ");
    const code = p.code ? ` [${p.code}]` : "";
    out.write(`${where}: ${severity} ${subject ? `${subject}: ` : ""}${p.message}${code}\n`);
  }
  for (const f of report.files) {
    if (!f.valid) continue;
    const errors = report.problems.filter((p) => p.file === f.file && p.severity === "error").length;
    const status = errors > 0 ? paint("red", "has problems") : paint("green", "valid");
    out.write(`${f.file}: ${status} (${f.documents} document${f.documents === 1 ? "" : "s"})\n`);
  }
  if (report.errors + report.warnings > 0) {
    out.write(`${report.errors} error(s), ${report.warnings} warning(s)\n`);
  }
}
