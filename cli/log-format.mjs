// Access-log entries as `flaremesh logs` shows them: which batches hold access logs, filters by service and
// status, and one line per request.

import { UsageError } from "./errors.mjs";
import { paint } from "./output.mjs";

/**
 * The entries of one `http-json` batch body: `{"entries":[…]}` (json), one entry per line (ndjson), a bare
 * array, or a single object. Undecodable lines are skipped.
 */
export function decodeBatch(body, contentType = "") {
  const text = body.trim();
  if (text === "") return [];
  if (/ndjson|jsonl/i.test(contentType) || (!text.startsWith("[") && text.includes("\n"))) {
    return text.split("\n").flatMap((line) => {
      try {
        return line.trim() === "" ? [] : [JSON.parse(line)];
      } catch {
        return [];
      }
    });
  }
  try {
    const value = JSON.parse(text);
    if (Array.isArray(value)) return value;
    if (value && Array.isArray(value.entries)) return value.entries;
    return value && typeof value === "object" ? [value] : [];
  } catch {
    return [];
  }
}

/** Access-log entries have a status and a destination; spans shipped to the same sink do not. */
export function isAccessLog(entry) {
  return (
    entry !== null &&
    typeof entry === "object" &&
    typeof entry.status === "number" &&
    entry.destination !== null &&
    typeof entry.destination === "object"
  );
}

/**
 * `--status` as a predicate: a comma list of codes (`404`), classes (`5xx`) and negations (`!2xx`).
 * @returns {(status: number) => boolean}
 */
export function statusFilter(spec) {
  if (spec === undefined || spec === "") return () => true;
  const parts = String(spec)
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const tests = parts.map((part) => {
    const m = /^(!?)([1-5])(xx|\d\d)$/i.exec(part);
    if (!m) throw new UsageError(`--status: "${part}" is not a status (404), a class (5xx) or a negation (!2xx)`);
    const negate = m[1] === "!";
    const test =
      m[3].toLowerCase() === "xx" ? (s) => Math.floor(s / 100) === Number(m[2]) : (s) => s === Number(m[2] + m[3]);
    return { negate, test };
  });
  const positives = tests.filter((t) => !t.negate);
  const negatives = tests.filter((t) => t.negate);
  return (status) =>
    (positives.length === 0 || positives.some((t) => t.test(status))) && !negatives.some((t) => t.test(status));
}

/** `--service` as a predicate over the destination: `reviews` (any namespace) or `prod/reviews`. */
export function serviceFilter(services) {
  if (!services || services.length === 0) return () => true;
  return (entry) =>
    services.some((s) => {
      const d = entry.destination ?? {};
      return s.includes("/") ? `${d.namespace}/${d.service}` === s : d.service === s;
    });
}

/** Colour by status class, like most log viewers. */
function statusColor(status) {
  if (status >= 500 || status === 0) return "red";
  if (status >= 400) return "yellow";
  return "green";
}

/**
 * `TIME  METHOD AUTHORITYPATH  STATUS  DURATION  SOURCE → DESTINATION(VERSION)  FLAGS  error_code`.
 */
export function formatEntry(entry) {
  const d = entry.destination ?? {};
  const src = entry.source?.service ? `${entry.source.namespace ?? "default"}/${entry.source.service}` : "-";
  const dest = `${d.namespace ?? "default"}/${d.service ?? "?"}${d.version ? `(${d.version})` : ""}`;
  const flags = entry.response_flags && entry.response_flags !== "-" ? ` ${entry.response_flags}` : "";
  const code = entry.error_code ? ` ${entry.error_code}` : "";
  const duration = typeof entry.duration_ms === "number" ? `${Math.round(entry.duration_ms)}ms` : "-";
  return [
    entry.time ?? "-",
    `${entry.method ?? "-"} ${entry.authority ?? ""}${entry.path ?? ""}`,
    paint(statusColor(entry.status), String(entry.status)),
    duration,
    `${src} → ${dest}${flags}${code}`,
  ].join("  ");
}
