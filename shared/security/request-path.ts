// RFC 3986 §6.2.2 path normalization before policy matching (what Envoy's normalize_path / Istio BASE do).

export interface PathNormalizationOptions {
  /** Collapse `//` into `/` (Istio MERGE_SLASHES). */
  mergeSlashes?: boolean;
  /** Also decode `%2F` and `%5C` to `/` and `\` (Istio DECODE_AND_MERGE_SLASHES; implies mergeSlashes). */
  decodeSlashes?: boolean;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function normalizePercent(path: string, decodeSlashes: boolean): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (whole, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    if (UNRESERVED.test(ch)) return ch;
    if (decodeSlashes && (ch === "/" || ch === "\\")) return ch;
    return whole.toUpperCase();
  });
}

function removeDotSegments(path: string): string {
  const input = path.split("/");
  const out: string[] = [];
  for (let i = 1; i < input.length; i++) {
    const seg = input[i] ?? "";
    const last = i === input.length - 1;
    if (seg === "." || seg === "..") {
      if (seg === "..") out.pop();
      if (last) out.push("");
      continue;
    }
    out.push(seg);
  }
  return "/" + out.join("/");
}

/**
 * The path that authorization matches AND that goes upstream — they must be the same string, or a
 * policy on `/admin` is dodged by `/%61dmin` or `/public/../admin` that the service decodes itself.
 * Drops query and fragment, decodes percent-encoded unreserved characters, upper-cases the remaining
 * escapes, and removes dot segments (after decoding, so `%2e%2e` counts). `%2F` stays encoded unless
 * `decodeSlashes`, as in Istio's default.
 */
export function normalizeRequestPath(rawPath: string, options: PathNormalizationOptions = {}): string {
  // Per request: most paths have nothing to normalize (no escapes, no dot segments, no `//`, no query).
  if (rawPath.charCodeAt(0) === 47 && !NEEDS_WORK.test(rawPath)) return rawPath;
  return normalizeSlowly(rawPath, options);
}

/** Anything `normalizeSlowly` could change: a query or fragment, an escape, a dot segment, a double slash. */
const NEEDS_WORK = /[?#%]|\/\.|\/\//;

/** The full normalization; exported for the equivalence test of the fast path. */
export function normalizeSlowly(rawPath: string, options: PathNormalizationOptions = {}): string {
  const cut = rawPath.search(/[?#]/);
  let path = cut < 0 ? rawPath : rawPath.slice(0, cut);
  path = normalizePercent(path, options.decodeSlashes === true);
  if (!path.startsWith("/")) path = "/" + path;
  if (options.mergeSlashes === true || options.decodeSlashes === true) path = path.replace(/\/{2,}/g, "/");
  return removeDotSegments(path);
}
