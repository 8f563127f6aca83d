// Compiled path, string and key/value conditions: normalised and regex-compiled once per revision.
import type { KeyValueMatchModel, PathMatchModel, StringMatchModel } from "../model/snapshot";

const SLASH = 47;

/**
 * Gateway API `RegularExpression` and Istio `regex` are full-string matches, so every pattern is anchored.
 * Returns null when the pattern is not a valid JavaScript regex; such a condition never matches.
 */
export function compileFullMatch(source: string, ignoreCase = false): RegExp | null {
  try {
    return new RegExp(`^(?:${source})$`, ignoreCase ? "i" : "");
  } catch {
    return null;
  }
}

export interface CompiledPath {
  type: PathMatchModel["type"];
  /** PathPrefix: trailing slashes removed (`/` becomes ``). Lower-cased when `ignoreCase`. */
  value: string;
  ignoreCase: boolean;
  regex: RegExp | null;
}

export function compilePath(model: PathMatchModel): CompiledPath {
  const ignoreCase = model.ignoreCase === true;
  let value = model.value;
  if (model.type === "PathPrefix") value = value.replace(/\/+$/, "");
  if (ignoreCase) value = value.toLowerCase();
  const regex = model.type === "RegularExpression" ? compileFullMatch(model.value, ignoreCase) : null;
  return { type: model.type, value, ignoreCase, regex };
}

/**
 * Matches a raw request path (`lowerPath` is the same path lower-cased, computed once per request).
 * Returns -1 when it does not match, else the length of the request-path prefix the condition consumed
 * (the whole path for Exact and RegularExpression).
 */
export function matchPath(p: CompiledPath, path: string, lowerPath: string): number {
  const subject = p.ignoreCase ? lowerPath : path;
  switch (p.type) {
    case "Exact":
      return subject === p.value ? path.length : -1;
    case "PathPrefix":
      // Segment-wise: `/v2` matches `/v2`, `/v2/` and `/v2/x`, never `/v2example`.
      if (!subject.startsWith(p.value)) return -1;
      return subject.length === p.value.length || subject.charCodeAt(p.value.length) === SLASH ? p.value.length : -1;
    case "Prefix":
      return subject.startsWith(p.value) ? p.value.length : -1;
    case "RegularExpression":
      return p.regex !== null && p.regex.test(path) ? path.length : -1;
  }
}

/**
 * The literal text every (full) match of a regex must start with, or `` when none is known: the leading characters
 * that are literal in a regex, less the last one when a quantifier follows it (`ab?` → `a`). A source with `|`
 * anywhere has none (an alternative could start elsewhere). `t3-[a-z]+` → `t3-`.
 */
export function regexLiteralPrefix(source: string): string {
  if (source.includes("|")) return "";
  const m = /^[A-Za-z0-9_~\-/:,;=@#%&'"<> ]*/.exec(source);
  const run = m === null ? "" : m[0];
  const next = source.charAt(run.length);
  return next === "?" || next === "*" || next === "+" || next === "{" ? run.slice(0, -1) : run;
}

export interface CompiledKeyValue {
  name: string;
  type: KeyValueMatchModel["type"];
  value: string;
  regex: RegExp | null;
  invert: boolean;
}

export function compileKeyValue(model: KeyValueMatchModel, lowerCaseName: boolean): CompiledKeyValue {
  return {
    name: lowerCaseName ? model.name.toLowerCase() : model.name,
    type: model.type,
    value: model.value,
    regex: model.type === "RegularExpression" ? compileFullMatch(model.value) : null,
    invert: model.invert === true,
  };
}

/** `actual` is null when the header / parameter is absent; an inverted condition then matches. */
export function matchKeyValue(kv: CompiledKeyValue, actual: string | null): boolean {
  let ok: boolean;
  if (actual === null) ok = false;
  else if (kv.type === "Exact") ok = actual === kv.value;
  else if (kv.type === "Prefix") ok = actual.startsWith(kv.value);
  else if (kv.type === "RegularExpression") ok = kv.regex !== null && kv.regex.test(actual);
  else ok = true;
  return kv.invert ? !ok : ok;
}

/** Host names are case-insensitive: values are lower-cased and compared with the lower-cased host. */
export interface CompiledString {
  type: StringMatchModel["type"];
  value: string;
  regex: RegExp | null;
}

export function compileHostMatch(model: StringMatchModel): CompiledString {
  return {
    type: model.type,
    value: model.value.toLowerCase(),
    regex: model.type === "RegularExpression" ? compileFullMatch(model.value, true) : null,
  };
}

export function matchString(s: CompiledString, actual: string): boolean {
  if (s.type === "Exact") return actual === s.value;
  if (s.type === "Prefix") return actual.startsWith(s.value);
  return s.regex !== null && s.regex.test(actual);
}
