// Where an end-user JWT is read from (headers with prefix, query parameters, cookies) and finding it.
import type { JwtRuleModel } from "../model/security";
import type { HeaderLookup } from "./attributes";

export type TokenLocation =
  { type: "header"; name: string; prefix: string } | { type: "param"; name: string } | { type: "cookie"; name: string };

/** Istio's defaults when a rule names no location: `Authorization: Bearer <t>`, then `?access_token=<t>`. */
export const DEFAULT_TOKEN_LOCATIONS: readonly TokenLocation[] = [
  { type: "header", name: "authorization", prefix: "Bearer " },
  { type: "param", name: "access_token" },
];

export function tokenLocationsOf(rule: JwtRuleModel): TokenLocation[] {
  const locations: TokenLocation[] = [
    ...rule.fromHeaders.map((h): TokenLocation => ({ type: "header", name: h.name.toLowerCase(), prefix: h.prefix })),
    ...rule.fromParams.map((name): TokenLocation => ({ type: "param", name })),
    ...rule.fromCookies.map((name): TokenLocation => ({ type: "cookie", name })),
  ];
  return locations.length > 0 ? locations : [...DEFAULT_TOKEN_LOCATIONS];
}

export function locationKey(loc: TokenLocation): string {
  return loc.type === "header" ? `header:${loc.name}:${loc.prefix}` : `${loc.type}:${loc.name}`;
}

export interface TokenSource {
  headers: HeaderLookup;
  /** The request's query parameters (`url.searchParams`). */
  searchParams?: { getAll(name: string): string[] };
}

export type TokenSearch =
  | { kind: "none" }
  /** One token; `locations` lists every place it was found (all are stripped when not forwarded). */
  | { kind: "found"; token: string; locations: TokenLocation[] }
  /** Different tokens in different places: refused rather than guessing which one counts. */
  | { kind: "ambiguous" };

/** `a=1; b=2` → values of `name` (several when repeated). */
export function cookieValues(cookieHeader: string | null, name: string): string[] {
  if (cookieHeader === null) return [];
  const values: string[] = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

function valuesAt(loc: TokenLocation, source: TokenSource): string[] {
  if (loc.type === "param") return source.searchParams?.getAll(loc.name) ?? [];
  if (loc.type === "cookie") return cookieValues(source.headers.get("cookie"), loc.name);
  const value = source.headers.get(loc.name);
  if (value === null) return [];
  // The scheme of `Authorization: Bearer` is case-insensitive (RFC 9110 §11.1); a header without the
  // prefix carries no token for this location (e.g. `Authorization: Basic …` for the service itself).
  if (loc.prefix === "") return [value.trim()];
  return value.slice(0, loc.prefix.length).toLowerCase() === loc.prefix.toLowerCase()
    ? [value.slice(loc.prefix.length).trim()]
    : [];
}

export function findToken(locations: readonly TokenLocation[], source: TokenSource): TokenSearch {
  let token: string | null = null;
  const where: TokenLocation[] = [];
  for (const loc of locations) {
    for (const value of valuesAt(loc, source)) {
      if (value === "") continue;
      if (token !== null && value !== token) return { kind: "ambiguous" };
      token = value;
      if (!where.includes(loc)) where.push(loc);
    }
  }
  return token === null ? { kind: "none" } : { kind: "found", token, locations: where };
}

/** The `Cookie` header without the named cookies (for `forwardOriginalToken: false`); null when empty. */
export function withoutCookies(cookieHeader: string, names: readonly string[]): string | null {
  const kept = cookieHeader
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p !== "" && !names.includes(p.slice(0, Math.max(0, p.indexOf("="))).trim()));
  return kept.length > 0 ? kept.join("; ") : null;
}
