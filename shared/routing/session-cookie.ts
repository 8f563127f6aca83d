// Consistent-hash session cookies: reading the hash key from a Cookie header and the Set-Cookie that issues one.

/** The value of cookie `name` in a `Cookie` header, or null when absent. */
export function readCookie(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface SessionCookieModel {
  name: string;
  ttlSeconds?: number | undefined;
  path?: string | undefined;
}

/**
 * The `Set-Cookie` value that pins a client to the endpoint its hash key chose (Istio/Envoy `httpCookie`).
 * A positive ttl becomes `Max-Age`; no ttl or a ttl of 0 makes a session cookie. `Path` defaults to `/`.
 */
export function sessionSetCookie(cookie: SessionCookieModel, value: string): string {
  const parts = [`${cookie.name}=${value}`, `Path=${cookie.path ?? "/"}`];
  if (cookie.ttlSeconds !== undefined && cookie.ttlSeconds > 0) parts.push(`Max-Age=${Math.floor(cookie.ttlSeconds)}`);
  parts.push("HttpOnly");
  return parts.join("; ");
}
