// The normalized security policy a proxy enforces for one destination service: peer-authentication mode,
// end-user JWT rules and authorization policies, already scoped to the service by the compiler.
import * as z from "zod";

/** Effective mTLS / peer-identity mode of a service (Istio's UNSET is resolved away at compile time). */
export const PeerModeModel = z.enum(["STRICT", "PERMISSIVE", "DISABLE"]);
export type PeerModeModel = z.infer<typeof PeerModeModel>;

export const PeerAuthenticationModel = z.strictObject({
  /**
   * The mode a PeerAuthentication decided. Absent: none decides, and the proxy applies the mesh's default
   * (`mesh.defaultMtlsMode` of the snapshot, else PERMISSIVE: `effectivePeerMode`) — kept out of the model so that a
   * change of the MeshConfig changes no Service's model.
   */
  mode: PeerModeModel.optional(),
  /** `<namespace>/<name>` of the PeerAuthentication that decided; absent when the mesh default applies. */
  policy: z.string().optional(),
});
export type PeerAuthenticationModel = z.infer<typeof PeerAuthenticationModel>;

/** Istio `JWTHeader`: the token is read from header `name` after stripping `prefix`. */
export const JwtHeaderLocationModel = z.strictObject({
  /** Lower-case header name. */
  name: z.string().min(1),
  prefix: z.string().default(""),
});
export type JwtHeaderLocationModel = z.infer<typeof JwtHeaderLocationModel>;

export const ClaimToHeaderModel = z.strictObject({
  /** Lower-case header name; the proxy skips hop-by-hop and mesh-reserved names (`isAllowedOutputHeader`). */
  header: z.string().min(1),
  /** Claim name; a name that is not a top-level claim is read as a `.`-separated nested path. */
  claim: z.string().min(1),
});
export type ClaimToHeaderModel = z.infer<typeof ClaimToHeaderModel>;

/**
 * One Istio `jwtRules[]` entry of a RequestAuthentication that applies to the service. When `fromHeaders`,
 * `fromParams` and `fromCookies` are all empty the token is read from `Authorization: Bearer` or the
 * `access_token` query parameter (Istio's defaults).
 */
export const JwtRuleModel = z.strictObject({
  /** `<namespace>/<name>` of the RequestAuthentication, for logs. */
  policy: z.string(),
  issuer: z.string().min(1),
  /** Empty: the audience is not checked (Istio). */
  audiences: z.array(z.string()).default([]),
  jwksUri: z.string().optional(),
  /** Inline JWKS as JSON text (Istio `jwks`). */
  jwks: z.string().optional(),
  fromHeaders: z.array(JwtHeaderLocationModel).default([]),
  fromParams: z.array(z.string().min(1)).default([]),
  fromCookies: z.array(z.string().min(1)).default([]),
  forwardOriginalToken: z.boolean().default(false),
  outputClaimToHeaders: z.array(ClaimToHeaderModel).default([]),
  /** Lower-case header that receives the verified payload (base64url, as Envoy forwards it). */
  outputPayloadToHeader: z.string().optional(),
  /** Timeout for fetching `jwksUri` (Istio `timeout`). */
  jwksTimeoutMs: z.number().int().positive().optional(),
});
export type JwtRuleModel = z.infer<typeof JwtRuleModel>;

// Empty lists mean "not set", as in Istio's protobuf; fields inside one source/operation are AND-ed,
// the values inside one field are OR-ed.
const patterns = z.array(z.string()).optional();

export const AuthzSourceModel = z.strictObject({
  principals: patterns,
  notPrincipals: patterns,
  requestPrincipals: patterns,
  notRequestPrincipals: patterns,
  namespaces: patterns,
  notNamespaces: patterns,
  /** `<namespace>/<sa>` or `<sa>` (the policy's namespace). */
  serviceAccounts: patterns,
  notServiceAccounts: patterns,
  ipBlocks: patterns,
  notIpBlocks: patterns,
  remoteIpBlocks: patterns,
  notRemoteIpBlocks: patterns,
});
export type AuthzSourceModel = z.infer<typeof AuthzSourceModel>;

export const AuthzOperationModel = z.strictObject({
  hosts: patterns,
  notHosts: patterns,
  ports: patterns,
  notPorts: patterns,
  methods: patterns,
  notMethods: patterns,
  paths: patterns,
  notPaths: patterns,
});
export type AuthzOperationModel = z.infer<typeof AuthzOperationModel>;

export const AuthzConditionModel = z.strictObject({
  key: z.string().min(1),
  values: patterns,
  notValues: patterns,
});
export type AuthzConditionModel = z.infer<typeof AuthzConditionModel>;

/** `from` entries are OR-ed, `to` entries are OR-ed, `when` conditions are AND-ed; empty = any. */
export const AuthzRuleModel = z.strictObject({
  from: z.array(AuthzSourceModel).default([]),
  to: z.array(AuthzOperationModel).default([]),
  when: z.array(AuthzConditionModel).default([]),
});
export type AuthzRuleModel = z.infer<typeof AuthzRuleModel>;

export const AuthorizationPolicyModel = z.strictObject({
  /** `<namespace>/<name>`: named in access logs, never in responses. */
  name: z.string(),
  /** Needed to resolve `serviceAccounts: [sa]` without a namespace. */
  namespace: z.string(),
  action: z.enum(["ALLOW", "DENY", "AUDIT", "CUSTOM"]).default("ALLOW"),
  /** CUSTOM only; flaremesh has no external authorizers, so a matching CUSTOM policy denies. */
  provider: z.string().optional(),
  /** No rules: the policy matches nothing (an ALLOW policy without rules therefore allows nothing). */
  rules: z.array(AuthzRuleModel).default([]),
});
export type AuthorizationPolicyModel = z.infer<typeof AuthorizationPolicyModel>;

/** Everything the proxy needs to authenticate and authorize a request to one service. */
export const ServiceSecurityModel = z.strictObject({
  peerAuthentication: PeerAuthenticationModel.default({}),
  jwtRules: z.array(JwtRuleModel).default([]),
  /** Every applicable policy, any action, any scope level; evaluation order is fixed by the evaluator. */
  authorizationPolicies: z.array(AuthorizationPolicyModel).default([]),
});
export type ServiceSecurityModel = z.infer<typeof ServiceSecurityModel>;
