// Istio AuthorizationPolicy evaluation: CUSTOM, then DENY, then ALLOW; AUDIT only marks the request.
import type { AuthorizationPolicyModel } from "../model/security";
import type { RequestAttributes } from "./attributes";
import { compileRule, viewOf, type Predicate, type RequestView } from "./authz-rule";

export type AuthzAction = AuthorizationPolicyModel["action"];

interface CompiledPolicy {
  name: string;
  rules: Predicate[];
}

/** Built once per configuration revision and service; evaluated per request. */
export interface CompiledAuthorization {
  custom: CompiledPolicy[];
  deny: CompiledPolicy[];
  allow: CompiledPolicy[];
  audit: CompiledPolicy[];
}

export type AuthzReason =
  /** No ALLOW, DENY or CUSTOM policy applies: the workload is open. */
  | "no_policies"
  /** A DENY policy matched. */
  | "denied_by_policy"
  /** A CUSTOM policy matched; external authorizers do not exist in flaremesh, so it refuses. */
  | "custom_unsupported"
  /** ALLOW policies apply and none matched (this includes an ALLOW policy without rules: allow-nothing). */
  | "no_allow_match"
  | "allowed_by_policy"
  /** Only DENY/AUDIT policies apply and no DENY matched. */
  | "no_deny_match";

export interface AuthzDecision {
  decision: "allow" | "deny";
  reason: AuthzReason;
  /** `<namespace>/<name>` of the deciding policy — for access logs only, never in a response. */
  policy?: string;
  /** Index of the matching rule within that policy. */
  rule?: number;
  /** True when an AUDIT policy matched (the access log should flag the request). */
  audit?: boolean;
  auditPolicy?: string;
}

/**
 * Compiles the policies that apply to one service. Each rule knows its action, so that what flaremesh
 * does not understand fails closed: it can never grant access (ALLOW) and still refuses (DENY).
 */
export function compileAuthorization(policies: readonly AuthorizationPolicyModel[]): CompiledAuthorization {
  const compiled: CompiledAuthorization = { custom: [], deny: [], allow: [], audit: [] };
  for (const policy of policies) {
    const action = policy.action;
    const unsupported = action === "DENY" || action === "CUSTOM";
    const ctx = { policyNamespace: policy.namespace, unsupported };
    const entry = { name: policy.name, rules: policy.rules.map((r) => compileRule(r, ctx)) };
    if (action === "CUSTOM") compiled.custom.push(entry);
    else if (action === "DENY") compiled.deny.push(entry);
    else if (action === "AUDIT") compiled.audit.push(entry);
    else compiled.allow.push(entry);
  }
  return compiled;
}

/** The first policy (in configuration order) and rule that match; a policy without rules matches nothing. */
function firstMatch(policies: CompiledPolicy[], view: RequestView): { policy: string; rule: number } | null {
  for (const policy of policies) {
    const rules = policy.rules;
    for (let rule = 0; rule < rules.length; rule++) if (rules[rule]!(view)) return { policy: policy.name, rule };
  }
  return null;
}

const NO_AUDIT = Object.freeze({});

/**
 * Istio's order: a matching CUSTOM policy (here: refuses), then any matching DENY policy denies; if no
 * ALLOW policy applies the request is allowed; otherwise it must match an ALLOW rule. AUDIT never changes
 * the decision.
 */
export function evaluateAuthorization(compiled: CompiledAuthorization, attrs: RequestAttributes): AuthzDecision {
  const view = viewOf(attrs);
  const audited = compiled.audit.length === 0 ? null : firstMatch(compiled.audit, view);
  const mark = audited === null ? NO_AUDIT : { audit: true, auditPolicy: audited.policy };

  const custom = firstMatch(compiled.custom, view);
  if (custom !== null) return { decision: "deny", reason: "custom_unsupported", ...custom, ...mark };
  const denied = firstMatch(compiled.deny, view);
  if (denied !== null) return { decision: "deny", reason: "denied_by_policy", ...denied, ...mark };
  if (compiled.allow.length === 0) {
    const reason = compiled.deny.length + compiled.custom.length === 0 ? "no_policies" : "no_deny_match";
    return { decision: "allow", reason, ...mark };
  }
  const allowed = firstMatch(compiled.allow, view);
  if (allowed !== null) return { decision: "allow", reason: "allowed_by_policy", ...allowed, ...mark };
  return { decision: "deny", reason: "no_allow_match", ...mark };
}

/** Compile-and-evaluate in one call, for tests and one-off checks; the proxy compiles once per revision. */
export function authorizeRequest(
  policies: readonly AuthorizationPolicyModel[],
  attrs: RequestAttributes,
): AuthzDecision {
  return evaluateAuthorization(compileAuthorization(policies), attrs);
}
