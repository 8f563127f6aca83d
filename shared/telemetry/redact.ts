// Keeps secrets out of telemetry: sensitive headers, query values and URL credentials.
import { memoizeByString } from "../memoize";

export const REDACTED = "[redacted]";

/** Headers whose values are credentials or session state, wherever they appear. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-mesh-identity",
  "x-api-key",
  "api-key",
  "x-auth-token",
  "x-access-token",
  "x-csrf-token",
  "x-xsrf-token",
  "x-amz-security-token",
  "x-goog-iap-jwt-assertion",
  "cf-access-jwt-assertion",
  "cf-access-client-secret",
  "cf-authorization",
]);
/** Any header whose name contains one of these is treated as secret too (custom auth headers). */
const SECRET_HEADER_PARTS = [
  "token",
  "secret",
  "password",
  "passwd",
  "api-key",
  "apikey",
  "session",
  "credential",
  "signature",
  "auth",
];

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADERS.has(n) || SECRET_HEADER_PARTS.some((part) => n.includes(part));
}

/**
 * Header name → value (names lower-cased) with every secret value replaced by `[redacted]`, so a
 * log shows that a credential was sent but never what it was. Accepts `Headers` or entry lists.
 */
export function redact(
  headers: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  options: { allow?: readonly string[] } = {},
): Record<string, string> {
  const allow = new Set((options.allow ?? []).map((h) => h.toLowerCase()));
  const entries =
    Symbol.iterator in headers ? [...(headers as Iterable<readonly [string, string]>)] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    out[name] = isSecretHeader(name) && !allow.has(name) ? REDACTED : value;
  }
  return out;
}

/** Query keys whose values are secrets (compared lower-case, with `-` read as `_`). */
const SECRET_QUERY_KEYS = new Set([
  "token",
  "access_token",
  "id_token",
  "refresh_token",
  "api_key",
  "apikey",
  "key",
  "password",
  "passwd",
  "pwd",
  "secret",
  "client_secret",
  "signature",
  "sig",
  "code",
  "auth",
  "session",
  "sessionid",
  "jwt",
  "credential",
  "x_amz_signature",
  "x_amz_credential",
  "x_amz_security_token",
  "x_goog_signature",
  "x_goog_credential",
]);
const SECRET_QUERY_SUFFIXES = ["_token", "_secret", "_password", "_key", "_signature"];

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

export function isSecretQueryKey(key: string): boolean {
  const k = decodeKey(key).toLowerCase().replace(/-/g, "_");
  return SECRET_QUERY_KEYS.has(k) || SECRET_QUERY_SUFFIXES.some((suffix) => k.endsWith(suffix));
}

/** Longest path logged; longer ones are cut (and marked) so one request cannot bloat a batch. */
export const MAX_LOGGED_PATH = 2048;

/**
 * The request target for logs: the path with secret query values replaced by `[redacted]` (keys and
 * other values untouched, in their original encoding), no fragment, cut at 2048 characters.
 * `allow` lists query keys to keep even though they look secret.
 */
export function sanitizePath(target: string, options: { allow?: readonly string[] } = {}): string {
  const hash = target.indexOf("#");
  const noFragment = hash >= 0 ? target.slice(0, hash) : target;
  const q = noFragment.indexOf("?");
  let out = noFragment;
  if (q >= 0) {
    const allow = new Set((options.allow ?? []).map((k) => k.toLowerCase()));
    const params = noFragment
      .slice(q + 1)
      .split("&")
      .map((pair) => {
        const eq = pair.indexOf("=");
        const key = eq >= 0 ? pair.slice(0, eq) : pair;
        if (eq < 0 || !isSecretQueryKey(key) || allow.has(decodeKey(key).toLowerCase())) return pair;
        return `${key}=${REDACTED}`;
      });
    out = `${noFragment.slice(0, q)}?${params.join("&")}`;
  }
  return out.length > MAX_LOGGED_PATH ? `${out.slice(0, MAX_LOGGED_PATH - 3)}...` : out;
}

/** `host[:port]` of an endpoint URL, without user-info, path or query; the input itself when not a URL. */
// Called per access-log entry with a handful of distinct endpoint URLs: each parsed once.
export const endpointHost: (endpoint: string) => string = memoizeByString(parseEndpointHost);

function parseEndpointHost(endpoint: string): string {
  if (URL.canParse(endpoint)) {
    const host = new URL(endpoint).host;
    if (host !== "") return host;
  }
  return endpoint.replace(/^[^@/]*@/, "");
}
