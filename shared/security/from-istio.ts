// Istio security documents → the per-service security model (what shared/compile stores in a snapshot).
import { durationToMs } from "../duration";
import type {
  AuthorizationPolicyModel,
  AuthzConditionModel,
  AuthzOperationModel,
  AuthzSourceModel,
  JwtRuleModel,
  ServiceSecurityModel,
} from "../model/security";
import { resolvePeerAuthentication, type PeerAuthenticationPolicy, type PeerModeSetting } from "./peer-authentication";
import { scopeLevel, type PolicyScope, type ScopedService } from "./scope";

// Structural shapes of the validated specs (shared/resources/*), so this file does not depend on their schemas.
export interface IstioAuthorizationPolicySpec extends PolicyScope {
  action?: "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";
  provider?: { name: string };
  rules?: Array<{
    from?: Array<{ source?: AuthzSourceModel }>;
    to?: Array<{ operation?: AuthzOperationModel }>;
    when?: AuthzConditionModel[];
  }>;
}

export interface IstioJwtRule {
  issuer: string;
  audiences?: string[];
  jwksUri?: string;
  jwks?: string;
  fromHeaders?: Array<{ name: string; prefix?: string }>;
  fromParams?: string[];
  fromCookies?: string[];
  outputPayloadToHeader?: string;
  forwardOriginalToken?: boolean;
  outputClaimToHeaders?: Array<{ header: string; claim: string }>;
  timeout?: string;
}

export interface IstioRequestAuthenticationSpec extends PolicyScope {
  jwtRules?: IstioJwtRule[];
}

export interface IstioPeerAuthenticationSpec extends PolicyScope {
  mtls?: { mode?: PeerModeSetting };
}

export interface PolicyDocument<S> {
  namespace: string;
  name: string;
  spec: S;
}

/** `from[].source` and `to[].operation` are flattened; action defaults to ALLOW; no rules stays no rules. */
export function toAuthorizationPolicyModel(
  doc: PolicyDocument<IstioAuthorizationPolicySpec>,
): AuthorizationPolicyModel {
  const model: AuthorizationPolicyModel = {
    name: `${doc.namespace}/${doc.name}`,
    namespace: doc.namespace,
    action: doc.spec.action ?? "ALLOW",
    rules: (doc.spec.rules ?? []).map((r) => ({
      from: (r.from ?? []).map((f) => f.source ?? {}),
      to: (r.to ?? []).map((t) => t.operation ?? {}),
      when: r.when ?? [],
    })),
  };
  if (doc.spec.provider !== undefined) model.provider = doc.spec.provider.name;
  return model;
}

export function toJwtRuleModels(doc: PolicyDocument<IstioRequestAuthenticationSpec>): JwtRuleModel[] {
  return (doc.spec.jwtRules ?? []).map((r) => {
    const rule: JwtRuleModel = {
      policy: `${doc.namespace}/${doc.name}`,
      issuer: r.issuer,
      audiences: r.audiences ?? [],
      fromHeaders: (r.fromHeaders ?? []).map((h) => ({ name: h.name.toLowerCase(), prefix: h.prefix ?? "" })),
      fromParams: r.fromParams ?? [],
      fromCookies: r.fromCookies ?? [],
      forwardOriginalToken: r.forwardOriginalToken ?? false,
      outputClaimToHeaders: (r.outputClaimToHeaders ?? []).map((o) => ({
        header: o.header.toLowerCase(),
        claim: o.claim,
      })),
    };
    if (r.jwksUri !== undefined) rule.jwksUri = r.jwksUri;
    if (r.jwks !== undefined) rule.jwks = r.jwks;
    if (r.outputPayloadToHeader !== undefined) rule.outputPayloadToHeader = r.outputPayloadToHeader.toLowerCase();
    if (r.timeout !== undefined) rule.jwksTimeoutMs = Math.max(1, durationToMs(r.timeout));
    return rule;
  });
}

export function toPeerAuthenticationPolicy(doc: PolicyDocument<IstioPeerAuthenticationSpec>): PeerAuthenticationPolicy {
  const policy: PeerAuthenticationPolicy = { namespace: doc.namespace, name: doc.name, scope: doc.spec };
  if (doc.spec.mtls?.mode !== undefined) policy.mode = doc.spec.mtls.mode;
  return policy;
}

export interface SecurityDocuments {
  /** Oldest first: on a tie at one level the first PeerAuthentication wins, as in Istio. */
  peerAuthentications?: ReadonlyArray<PolicyDocument<IstioPeerAuthenticationSpec>>;
  requestAuthentications?: ReadonlyArray<PolicyDocument<IstioRequestAuthenticationSpec>>;
  authorizationPolicies?: ReadonlyArray<PolicyDocument<IstioAuthorizationPolicySpec>>;
}

export interface SecurityOptions {
  rootNamespace?: string;
}

/**
 * The security model of one service: the resolved peer mode, and every RequestAuthentication rule and
 * AuthorizationPolicy whose scope covers it (mesh, namespace and workload levels all apply at once).
 */
export function securityForService(
  service: ScopedService,
  docs: SecurityDocuments,
  options: SecurityOptions = {},
): ServiceSecurityModel {
  const scoped = { rootNamespace: options.rootNamespace, rootSelector: "all-namespaces" } as const;
  const applies = (d: PolicyDocument<PolicyScope>) => scopeLevel(d.namespace, d.spec, service, scoped) !== null;
  const peer = resolvePeerAuthentication(
    (docs.peerAuthentications ?? []).map(toPeerAuthenticationPolicy),
    service,
    options,
  );
  return {
    peerAuthentication: peer,
    jwtRules: (docs.requestAuthentications ?? []).filter(applies).flatMap(toJwtRuleModels),
    authorizationPolicies: (docs.authorizationPolicies ?? []).filter(applies).map(toAuthorizationPolicyModel),
  };
}
