// Terminal output: colours (only on a TTY), kubectl-style tables, ages, and error reports with exit codes.

import YAML from "yaml";
import { ApiError, ConnectionError, EXIT, InputError, UsageError } from "./errors.mjs";

/** Colour when the stream is a TTY and NO_COLOR is unset (FORCE_COLOR=1 forces it, for demos). */
export function useColor(stream = process.stdout) {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

/** An SGR colour sequence, which takes no room on screen. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 };

/** @param {keyof typeof CODES} name @param {string} text @param {NodeJS.WriteStream} [stream] */
export function paint(name, text, stream = process.stdout) {
  return useColor(stream) ? `\u001b[${CODES[name]}m${text}\u001b[0m` : text;
}

/** Left-aligned columns separated by three spaces, header first, like `kubectl get`. */
export function formatTable(headers, rows) {
  const visible = (cell) => String(cell ?? "").replace(ANSI, "").length;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]))));
  const pad = (cell, i) => String(cell ?? "") + " ".repeat(widths[i] - visible(cell));
  const line = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? String(c ?? "") : pad(c, i)))
      .join("   ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

/** kubectl's AGE: `45s`, `12m`, `3h`, `2d`; `<unknown>` without a timestamp. */
export function formatAge(timestamp, now = Date.now()) {
  const then = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(then)) return "<unknown>";
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7_200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3_600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** Writes `value` as JSON or YAML (a list in YAML becomes one document per item, ready for `apply -f`). */
export function printStructured(format, value, items) {
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  } else if (items) {
    process.stdout.write(items.map((item) => YAML.stringify(item)).join("---\n"));
  } else {
    process.stdout.write(YAML.stringify(value));
  }
}

/** One problem as `<document> <path>: <message>`, leaving out what the server did not name. */
export function formatDetail(detail) {
  const where = [detail.document, detail.path].filter(Boolean).join(" ");
  return where ? `${where}: ${detail.message}` : String(detail.message);
}

/** Prints a failure on stderr and returns the exit code it deserves. */
export function reportError(err) {
  const out = process.stderr;
  const label = paint("red", "error:", out);
  if (err instanceof ApiError) {
    out.write(`${label} ${err.code}: ${err.message}\n`);
    for (const detail of err.details) out.write(`  - ${formatDetail(detail)}\n`);
    return EXIT.failure;
  }
  if (err instanceof ConnectionError) {
    out.write(`${label} ${err.message}\n`);
    return EXIT.unreachable;
  }
  if (err instanceof UsageError) {
    out.write(`${label} ${err.message}\n`);
    for (const line of err.lines) out.write(`  ${line}\n`);
    return err instanceof InputError ? EXIT.failure : EXIT.usage;
  }
  out.write(`${label} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.failure;
}
