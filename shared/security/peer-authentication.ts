// PeerAuthentication: which mode applies to a service, and whether a caller's identity satisfies it.
import type { PeerAuthenticationModel, PeerModeModel } from "../model/security";
import { scopeLevel, type PolicyScope, type ScopedService, type ScopeLevel } from "./scope";

export type PeerMode = PeerModeModel;
/** Istio's `UNSET` (or no `mtls` at all) inherits from the next level up. */
export type PeerModeSetting = PeerMode | "UNSET";

export interface PeerAuthenticationPolicy {
  namespace: string;
  name: string;
  scope: PolicyScope;
  mode?: PeerModeSetting;
}

export interface PeerResolutionOptions {
  rootNamespace?: string;
}

const SPECIFICITY: ScopeLevel[] = ["workload", "namespace", "mesh"];

/**
 * Resolves the mode the PeerAuthentications set: workload-specific (selector / targetRef) over namespace-wide over
 * mesh-wide (root namespace, no selector); UNSET defers to the next level. Pass policies oldest first: when two
 * policies sit at the same level the first wins, as Istio keeps the oldest. No mode when none decides: the mesh's
 * default then applies (`effectivePeerMode`).
 */
export function resolvePeerAuthentication(
  policies: readonly PeerAuthenticationPolicy[],
  service: ScopedService,
  options: PeerResolutionOptions = {},
): PeerAuthenticationModel {
  const byLevel = new Map<ScopeLevel, PeerAuthenticationPolicy>();
  for (const policy of policies) {
    const level = scopeLevel(policy.namespace, policy.scope, service, {
      rootNamespace: options.rootNamespace,
      rootSelector: "ignored",
    });
    if (level !== null && !byLevel.has(level)) byLevel.set(level, policy);
  }
  for (const level of SPECIFICITY) {
    const policy = byLevel.get(level);
    if (policy?.mode !== undefined && policy.mode !== "UNSET") {
      return { mode: policy.mode, policy: `${policy.namespace}/${policy.name}` };
    }
  }
  return {};
}

/**
 * The mode a proxy enforces: the one a PeerAuthentication decided, else the mesh's default (MeshConfig
 * `defaultMtlsMode`), else Istio's own default, PERMISSIVE.
 */
export function effectivePeerMode(
  peer: PeerAuthenticationModel | undefined,
  meshDefault: PeerMode | undefined,
): PeerMode {
  return peer?.mode ?? meshDefault ?? "PERMISSIVE";
}

/**
 * How the caller presented itself, after verification by the proxy:
 * - `binding`: a Worker calling through its egress service binding (`ctx.props`, set by the runtime);
 * - `token`: a valid `x-mesh-identity` identity token;
 * - `certificate`: a client certificate the TLS terminator verified against the mesh CA;
 * - `invalid`: a credential was presented and failed verification;
 * - `none`: nothing was presented.
 */
export type PeerIdentity =
  | { kind: "none" }
  | { kind: "invalid"; detail?: string }
  | { kind: "binding" | "token" | "certificate"; principal: string };

export type PeerDecision =
  | { ok: true; principal?: string; via?: "binding" | "token" | "certificate" }
  | { ok: false; code: "unauthenticated"; reason: "identity_required" | "invalid_identity" };

/**
 * STRICT refuses a request without a verified identity. PERMISSIVE lets it through as anonymous. DISABLE
 * treats every caller as anonymous, even one that presented a valid identity: policies that name
 * principals then no longer match, exactly as with plaintext in Istio.
 *
 * A presented but invalid credential is refused in STRICT and PERMISSIVE alike — like a TLS handshake
 * with a bad client certificate, it fails rather than silently downgrading to anonymous.
 */
export function decidePeer(mode: PeerMode, identity: PeerIdentity): PeerDecision {
  if (mode === "DISABLE") return { ok: true };
  if (identity.kind === "invalid") return { ok: false, code: "unauthenticated", reason: "invalid_identity" };
  if (identity.kind === "none") {
    return mode === "STRICT" ? { ok: false, code: "unauthenticated", reason: "identity_required" } : { ok: true };
  }
  return { ok: true, principal: identity.principal, via: identity.kind };
}

/**
 * One identity per request from what was presented, most trusted first (binding, certificate, token):
 * any invalid credential makes the whole request invalid, and two valid credentials naming different
 * principals are refused rather than letting the proxy pick one.
 */
export function choosePeerIdentity(presented: readonly PeerIdentity[]): PeerIdentity {
  if (presented.some((p) => p.kind === "invalid"))
    return { kind: "invalid", detail: "a presented credential is invalid" };
  const verified = presented.filter((p): p is Extract<PeerIdentity, { principal: string }> => "principal" in p);
  const [first] = verified;
  if (first === undefined) return { kind: "none" };
  if (verified.some((p) => p.principal !== first.principal)) {
    return { kind: "invalid", detail: "credentials name different principals" };
  }
  return first;
}
