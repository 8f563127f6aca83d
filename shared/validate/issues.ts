// Turns zod issues into ErrorDetails that name the document, the field path and a readable message.
import type * as z from "zod";
import type { ErrorDetail } from "../errors";
import { formatPath, valueAt } from "./field-path";

type Issue = z.core.$ZodIssue;

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "object";
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  record: "a map",
};

function messageFor(issue: Issue, document: unknown, path: readonly PropertyKey[]): string {
  switch (issue.code) {
    case "invalid_type": {
      const value = valueAt(document, path);
      if (value === undefined) return "is required";
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return `must be ${expected}, not ${typeName(value)}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      if (issue.origin === "array") return `must have at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === "string") return `must be at least ${String(issue.minimum)} character(s) long`;
      return issue.message.startsWith("Too small") ? `must be ≥ ${String(issue.minimum)}` : issue.message;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${String(issue.maximum)} item(s)`;
      if (issue.origin === "string") return `must be at most ${String(issue.maximum)} characters long`;
      return issue.message.startsWith("Too big") ? `must be ≤ ${String(issue.maximum)}` : issue.message;
    case "invalid_format":
      return issue.message.startsWith("Invalid") ? `has an invalid format (${issue.format})` : issue.message;
    case "invalid_union":
      return "does not match any accepted form of this field";
    case "invalid_key":
      return `invalid key: ${issue.issues[0]?.message ?? "not allowed here"}`;
    default:
      return issue.message;
  }
}

/** Flattens a union failure to the issues of the alternative that got furthest (deepest path, fewest issues). */
function bestUnionBranch(issue: Extract<Issue, { code: "invalid_union" }>): Issue[] | undefined {
  let best: Issue[] | undefined;
  let bestScore = -Infinity;
  for (const branch of issue.errors) {
    if (branch.length === 0) continue;
    const depth = Math.max(...branch.map((i) => i.path.length));
    const score = depth * 100 - branch.length;
    if (score > bestScore) {
      bestScore = score;
      best = branch;
    }
  }
  return best;
}

/** Maps zod issues of one document to ErrorDetails; `prefix` is prepended to every path. */
export function issuesToDetails(
  issues: readonly Issue[],
  documentLabel: string,
  document: unknown,
  prefix: readonly PropertyKey[] = [],
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        details.push({ document: documentLabel, path: formatPath([...path, key]), message: `unknown field "${key}"` });
      continue;
    }
    if (issue.code === "invalid_union") {
      const branch = bestUnionBranch(issue);
      if (branch !== undefined && branch.some((i) => i.path.length > 0)) {
        details.push(...issuesToDetails(branch, documentLabel, document, path));
        continue;
      }
    }
    details.push({ document: documentLabel, path: formatPath(path), message: messageFor(issue, document, path) });
  }
  return details;
}
