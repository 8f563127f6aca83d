// Istio RequestAuthentication semantics: find the token, pick the rule by issuer, check it, edit headers.
import type { JwtRuleModel } from "../model/security";
import type { EndUserAuth } from "./attributes";
import { claimHeaders, isAllowedOutputHeader } from "./claim-headers";
import { ASYMMETRIC_ALGORITHMS, checkProtectedHeader, validateClaims, type CheckedHeader } from "./jwt-claims";
import { decodeJwt, type DecodedJwt } from "./jwt-decode";
import {
  findToken,
  locationKey,
  tokenLocationsOf,
  type TokenLocation,
  type TokenSearch,
  type TokenSource,
} from "./jwt-location";
import { jwtFail, jwtOk, type JwtResult } from "./jwt-result";

export interface CompiledJwtRule {
  model: JwtRuleModel;
  locations: TokenLocation[];
  locationKeys: Set<string>;
}

/** Built once per revision for one service. */
export interface CompiledRequestAuthentication {
  rules: CompiledJwtRule[];
  /** Every place any rule reads a token from, deduplicated. */
  locations: TokenLocation[];
  /**
   * Headers the proxy removes from EVERY inbound request (claim and payload output headers): otherwise an
   * anonymous client could send `x-jwt-sub: admin` itself and the service could not tell the difference.
   */
  protectedHeaders: string[];
}

export function compileRequestAuthentication(rules: readonly JwtRuleModel[]): CompiledRequestAuthentication {
  const compiled: CompiledRequestAuthentication = { rules: [], locations: [], protectedHeaders: [] };
  const seen = new Set<string>();
  const protectedHeaders = new Set<string>();
  for (const model of rules) {
    const locations = tokenLocationsOf(model);
    const locationKeys = new Set(locations.map(locationKey));
    compiled.rules.push({ model, locations, locationKeys });
    for (const loc of locations) {
      if (!seen.has(locationKey(loc))) compiled.locations.push(loc);
      seen.add(locationKey(loc));
    }
    for (const { header } of model.outputClaimToHeaders) protectedHeaders.add(header.toLowerCase());
    if (model.outputPayloadToHeader !== undefined) protectedHeaders.add(model.outputPayloadToHeader.toLowerCase());
  }
  compiled.protectedHeaders = [...protectedHeaders].filter(isAllowedOutputHeader);
  return compiled;
}

/** Looks for an end-user token; with no rules nothing is read (an `Authorization` header passes untouched). */
export function findEndUserToken(compiled: CompiledRequestAuthentication, source: TokenSource): TokenSearch {
  return compiled.rules.length === 0 ? { kind: "none" } : findToken(compiled.locations, source);
}

export interface SelectedJwt {
  decoded: DecodedJwt;
  header: CheckedHeader;
  issuer: string;
  /** Rules for this issuer that read the place the token was found; verify with each until one passes. */
  rules: CompiledJwtRule[];
}

/**
 * Unverified decode → header check (asymmetric algorithms only) → rule choice by `iss`. A token from an
 * issuer no rule names is refused (`wrong_issuer`), as Istio refuses it, rather than passing as anonymous.
 */
export function selectJwtRules(
  compiled: CompiledRequestAuthentication,
  found: { token: string; locations: readonly TokenLocation[] },
): JwtResult<SelectedJwt> {
  const decoded = decodeJwt(found.token);
  if (!decoded.ok) return decoded;
  const header = checkProtectedHeader(decoded.value.header, { algorithms: ASYMMETRIC_ALGORITHMS });
  if (!header.ok) return header;
  const iss = decoded.value.payload["iss"];
  if (typeof iss !== "string") return jwtFail("malformed", "token has no iss");
  const keys = found.locations.map(locationKey);
  const rules = compiled.rules.filter((r) => r.model.issuer === iss && keys.some((k) => r.locationKeys.has(k)));
  if (rules.length === 0) return jwtFail("wrong_issuer", `issuer ${iss} is not accepted here`);
  return jwtOk({ decoded: decoded.value, header: header.value, issuer: iss, rules });
}

/**
 * Claim checks for an end-user token whose signature verified with `rule`'s keys. `exp` is required
 * (Envoy would accept a token without one; a mesh that calls itself zero-trust does not).
 */
export function checkEndUserClaims(
  rule: CompiledJwtRule,
  payload: Record<string, unknown>,
  options: { nowMs: number; clockSkewSeconds?: number },
): JwtResult<EndUserAuth> {
  const claims = validateClaims(payload, {
    nowMs: options.nowMs,
    issuer: rule.model.issuer,
    audiences: rule.model.audiences,
    ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
  });
  if (!claims.ok) return claims;
  const issuer = claims.value.issuer ?? rule.model.issuer;
  const subject = claims.value.subject ?? "";
  const azp = payload["azp"];
  const auth: EndUserAuth = {
    issuer,
    subject,
    principal: `${issuer}/${subject}`,
    audiences: claims.value.audiences,
    claims: payload,
  };
  if (typeof azp === "string") auth.presenter = azp;
  return jwtOk(auth);
}

export interface HeaderEdits {
  /** Lower-case header names to delete (the token's own header unless forwarded). */
  remove: string[];
  /** Lower-case name → value, to set (replacing any inbound value). */
  set: Array<[string, string]>;
  /** Query parameters that carried the token (remove them from the upstream URL). */
  removeParams: string[];
  /** Cookies that carried the token (`withoutCookies`). */
  removeCookies: string[];
}

/** What to change on the upstream request once the token is accepted. */
export function endUserHeaderEdits(
  rule: CompiledJwtRule,
  found: { locations: readonly TokenLocation[] },
  decoded: DecodedJwt,
): HeaderEdits {
  const edits: HeaderEdits = { remove: [], set: [], removeParams: [], removeCookies: [] };
  if (!rule.model.forwardOriginalToken) {
    for (const loc of found.locations) {
      if (loc.type === "header") edits.remove.push(loc.name);
      else if (loc.type === "param") edits.removeParams.push(loc.name);
      else edits.removeCookies.push(loc.name);
    }
  }
  edits.set = claimHeaders(rule.model.outputClaimToHeaders, decoded.payload);
  const payloadHeader = rule.model.outputPayloadToHeader;
  if (payloadHeader !== undefined && isAllowedOutputHeader(payloadHeader)) {
    edits.set.push([payloadHeader.toLowerCase(), decoded.payloadSegment]);
  }
  return edits;
}
