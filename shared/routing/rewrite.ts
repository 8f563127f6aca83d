// URL rewriting: full-path and prefix replacement (Gateway API and Istio semantics) and regex rewrite.
import type { RewriteModel } from "../model/snapshot";
import type { PrefixMatched } from "./match-route";

export interface CompiledRegexRewrite {
  regex: RegExp;
  /** JavaScript replacement string (`$1`), translated from RE2's `\1`. */
  replacement: string;
}

/**
 * Istio `uriRegexRewrite {match, rewrite}` replaces every match, with `\1`-style group references.
 * Returns null when the pattern does not compile.
 */
export function compileRegexRewrite(pattern: string, rewrite: string): CompiledRegexRewrite | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "g");
  } catch {
    return null;
  }
  const replacement = rewrite.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1");
  return { regex, replacement };
}

/**
 * Replaces the part of `path` the route's prefix matched. Segment-wise prefixes follow the Gateway API
 * table (`/foo` + `/foo/bar` + `/xyz/` → `/xyz/bar`, `/foo` + `/foo` + `` → `/`); a plain Istio prefix is
 * replaced literally. Without a prefix match (the route matched exactly or by regex) the whole path is
 * replaced, as Istio's `rewrite.uri` does.
 */
export function replacePrefixMatch(path: string, prefix: PrefixMatched | null, replacement: string): string {
  if (prefix === null) return replacement === "" ? "/" : replacement;
  const rest = path.slice(prefix.value.length);
  if (!prefix.segmentWise) return ensureLeadingSlash(replacement + rest);
  return ensureLeadingSlash(replacement.replace(/\/+$/, "") + rest);
}

function ensureLeadingSlash(path: string): string {
  if (path === "") return "/";
  return path.startsWith("/") ? path : `/${path}`;
}

/** The upstream path after the route's URL rewrite (unchanged when there is none). */
export function rewritePath(
  rewrite: RewriteModel["path"] | undefined,
  path: string,
  prefix: PrefixMatched | null,
  regexRewrite: CompiledRegexRewrite | null,
): string {
  if (!rewrite) return path;
  switch (rewrite.type) {
    case "ReplaceFullPath":
      return ensureLeadingSlash(rewrite.value);
    case "ReplacePrefixMatch":
      return replacePrefixMatch(path, prefix, rewrite.value);
    case "RegexReplace":
      if (regexRewrite === null) return path;
      regexRewrite.regex.lastIndex = 0;
      return ensureLeadingSlash(path.replace(regexRewrite.regex, regexRewrite.replacement));
  }
}
