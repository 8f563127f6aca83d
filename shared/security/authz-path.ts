// Istio AuthorizationPolicy path and host patterns: `*` wildcards and `{*}` / `{**}` path templates.
import { matchIstioString } from "./principal";

export type StringPredicate = (value: string) => boolean;

const OPERATOR = /\{\*\*?\}/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

function escape(s: string): string {
  return s.replace(REGEX_SPECIAL, "\\$&");
}

/**
 * Istio path templates: `{*}` is exactly one segment, `{**}` one or more segments and must be the last
 * operator. Operators fill whole segments (`/a{*}` is refused), as Istio's validation requires.
 * Returns null for an invalid template.
 */
export function compilePathTemplate(template: string): RegExp | null {
  if (!template.startsWith("/")) return null;
  const segments = template.slice(1).split("/");
  let seenGlobstar = false;
  const parts: string[] = [];
  for (const seg of segments) {
    if (seg === "{*}" || seg === "{**}") {
      if (seenGlobstar) return null;
      seenGlobstar = seg === "{**}";
      parts.push(seg === "{*}" ? "[^/]+" : "[^/]+(?:/[^/]+)*");
    } else {
      if (/[{}*]/.test(seg)) return null;
      parts.push(escape(seg));
    }
  }
  return new RegExp(`^/${parts.join("/")}$`);
}

/**
 * `paths` / `notPaths` entry → predicate over the normalized request path (no query). Plain patterns use
 * Istio's exact / `prefix*` / `*suffix` / `*` rules; a pattern with `{*}` or `{**}` is a template.
 * Returns null when the pattern is an invalid template.
 */
export function compileIstioPath(pattern: string): StringPredicate | null {
  if (OPERATOR.test(pattern)) {
    const re = compilePathTemplate(pattern);
    return re === null ? null : (path) => re.test(path);
  }
  return (path) => matchIstioString(pattern, path);
}

/** `reviews.localhost:8787` → `reviews.localhost`; `[::1]:80` → `[::1]`. Lower-cased. */
export function hostWithoutPort(authority: string): string {
  const host = authority.toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(":");
  return colon >= 0 && /^\d*$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/**
 * `hosts` / `notHosts` entry → predicate over (lower-cased authority, lower-cased host without port).
 * Case-insensitive like Istio, and port-insensitive: `hosts: [example.com]` also covers
 * `example.com:8080`, so a DENY on a host cannot be side-stepped by spelling out the port.
 */
export function compileIstioHost(pattern: string): (authority: string, hostOnly: string) => boolean {
  const p = pattern.toLowerCase();
  return (authority, hostOnly) => matchIstioString(p, authority) || matchIstioString(p, hostOnly);
}
