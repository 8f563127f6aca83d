// Workload principals (`<td>/ns/<ns>/sa/<sa>`), SPIFFE IDs, and Istio's `*` string matching.
import { memoizeByString } from "../memoize";

export const SPIFFE_PREFIX = "spiffe://";

export interface WorkloadIdentity {
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

// SPIFFE ID spec: trust domains are lower-case [a-z0-9._-]; path segments [A-Za-z0-9._-], never `.`/`..`.
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
const SEGMENT = /^[A-Za-z0-9._-]{1,253}$/;
const MAX_SPIFFE_ID = 2048;

export function principalFor(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

export function spiffeIdFor(trustDomain: string, namespace: string, serviceAccount: string): string {
  return SPIFFE_PREFIX + principalFor(trustDomain, namespace, serviceAccount);
}

function validSegment(s: string | undefined): s is string {
  return s !== undefined && SEGMENT.test(s) && s !== "." && s !== "..";
}

/**
 * Parses `<td>/ns/<ns>/sa/<sa>` exactly. Anything else (extra segments, empty or dot segments, upper-case
 * trust domain) is refused, so that one identity has one spelling and string policies cannot be dodged.
 * Runs per request with a handful of distinct callers: each is parsed once (results are frozen, so shared safely).
 */
export const parsePrincipal: (principal: string) => WorkloadIdentity | null = memoizeByString(parse);

function parse(principal: string): WorkloadIdentity | null {
  if (principal.length > MAX_SPIFFE_ID) return null;
  const parts = principal.split("/");
  if (parts.length !== 5 || parts[1] !== "ns" || parts[3] !== "sa") return null;
  const [trustDomain, , namespace, , serviceAccount] = parts;
  if (trustDomain === undefined || !TRUST_DOMAIN.test(trustDomain)) return null;
  if (!validSegment(namespace) || !validSegment(serviceAccount)) return null;
  return Object.freeze({ trustDomain, namespace, serviceAccount });
}

/**
 * Parses a SPIFFE ID / URI SAN (`spiffe://<td>/ns/<ns>/sa/<sa>`). The scheme must be lower-case and there
 * is no port, user info, query, fragment or percent-encoding: what a certificate or token carries must
 * be in canonical form, not normalized into one.
 */
export function parseSpiffeId(uri: string): WorkloadIdentity | null {
  if (!uri.startsWith(SPIFFE_PREFIX)) return null;
  return parsePrincipal(uri.slice(SPIFFE_PREFIX.length));
}

export function principalFromSpiffeId(uri: string): string | null {
  const id = parseSpiffeId(uri);
  return id === null ? null : principalFor(id.trustDomain, id.namespace, id.serviceAccount);
}

/**
 * Istio string matching as istiod compiles it: `*` alone = any non-empty value, `*x` = suffix, `x*` =
 * prefix (checked in that order, so `*x*` is a suffix match on `x*`), otherwise exact. An absent value
 * never matches.
 */
export function matchIstioString(pattern: string, value: string | undefined | null): boolean {
  if (value === undefined || value === null) return false;
  if (pattern === "*") return value.length > 0;
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

/**
 * Istio `requestPrincipals` / `request.auth.principal`: the pattern is split at its LAST `/` into issuer and
 * subject (issuers are URLs), and each half is matched separately, exactly as istiod generates it.
 */
export function matchRequestPrincipal(
  pattern: string,
  issuer: string | undefined,
  subject: string | undefined,
): boolean {
  if (issuer === undefined || subject === undefined) return false;
  const any = (v: string) => v.length > 0;
  const cut = pattern.lastIndexOf("/");
  const found = cut >= 0;
  const iss = found ? pattern.slice(0, cut) : pattern;
  const sub = found ? pattern.slice(cut + 1) : "";
  if (pattern === "*") return any(issuer) && any(subject);
  if (pattern.startsWith("*")) {
    if (!found) return any(issuer) && subject.endsWith(pattern.slice(1));
    const issOk = iss === "*" ? any(issuer) : issuer.endsWith(iss.slice(1));
    return issOk && subject === sub;
  }
  if (pattern.endsWith("*")) {
    if (!found) return issuer.startsWith(pattern.slice(0, -1)) && any(subject);
    const subOk = sub === "*" ? any(subject) : subject.startsWith(sub.slice(0, -1));
    return issuer === iss && subOk;
  }
  return issuer === iss && subject === sub;
}
