// `outputClaimToHeaders`: copying verified JWT claims into request headers, safely.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/**
 * Headers a claim may never be written to: hop-by-hop and framing headers (request smuggling), the
 * authority, and the mesh's own identity headers (a token issuer must not be able to mint principals).
 */
const RESERVED = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "content-encoding",
  "content-type",
  "expect",
  "cookie",
  "authorization",
  "proxy-authorization",
  "forwarded",
  "traceparent",
  "tracestate",
]);

/** Whether `name` (any case) may receive a claim or the payload; validation reports the others. */
export function isAllowedOutputHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (!TOKEN.test(lower) || RESERVED.has(lower)) return false;
  return !lower.startsWith("x-mesh-") && !lower.startsWith("x-forwarded-") && !lower.startsWith("cf-");
}

/**
 * The claim named `claim`: a top-level claim of that exact name first (names like
 * `https://example.com/roles` contain dots), else a `.`-separated path into nested objects.
 */
export function claimAt(payload: Record<string, unknown>, claim: string): unknown {
  if (Object.hasOwn(payload, claim)) return payload[claim];
  let cur: unknown = payload;
  for (const key of claim.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

// Control characters (CR/LF/NUL…) would split or corrupt the header; such a value is dropped, not cleaned.
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Istio copies only string, number and boolean claims; anything else (objects, lists) yields no header. */
export function claimHeaderValue(value: unknown): string | null {
  if (typeof value === "string") return hasControl(value) || value.length > 4096 ? null : value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return value ? "true" : "false";
  return null;
}

/** The headers to set for one verified token, in rule order; invalid targets are skipped. */
export function claimHeaders(
  mappings: ReadonlyArray<{ header: string; claim: string }>,
  payload: Record<string, unknown>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const { header, claim } of mappings) {
    if (!isAllowedOutputHeader(header)) continue;
    const value = claimHeaderValue(claimAt(payload, claim));
    if (value !== null) out.push([header.toLowerCase(), value]);
  }
  return out;
}
