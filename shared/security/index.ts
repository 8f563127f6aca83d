// Façade: zero-trust decision logic (identity, peer and request authentication, authorization, admin RBAC).
export type { EndUserAuth, HeaderLookup, RequestAttributes } from "./attributes";
export {
  principalFor,
  spiffeIdFor,
  parsePrincipal,
  parseSpiffeId,
  principalFromSpiffeId,
  matchIstioString,
  matchRequestPrincipal,
  SPIFFE_PREFIX,
  type WorkloadIdentity,
} from "./principal";
export {
  parseIp,
  parseCidr,
  cidrContains,
  compileIpBlocks,
  matchIpBlocks,
  formatIp,
  type IpAddress,
  type CidrBlock,
  type IpBlockList,
} from "./cidr";
export { classifyAddress, isPrivateOrSpecialAddress, type AddressClass } from "./special-address";
export { normalizeRequestPath, type PathNormalizationOptions } from "./request-path";
export {
  scopeLevel,
  serviceLabels,
  ROOT_NAMESPACE,
  type PolicyScope,
  type PolicyTargetRef,
  type ScopedService,
  type ScopeLevel,
} from "./scope";
export {
  compileAuthorization,
  evaluateAuthorization,
  authorizeRequest,
  type CompiledAuthorization,
  type AuthzDecision,
  type AuthzReason,
  type AuthzAction,
} from "./authorization";
export { isSupportedConditionKey } from "./authz-rule";
export { compileIstioPath, compilePathTemplate, hostWithoutPort } from "./authz-path";
export {
  resolvePeerAuthentication,
  effectivePeerMode,
  decidePeer,
  choosePeerIdentity,
  type PeerMode,
  type PeerModeSetting,
  type PeerAuthenticationPolicy,
  type PeerIdentity,
  type PeerDecision,
} from "./peer-authentication";
export { jwtOk, jwtFail, type JwtResult, type JwtFailureReason } from "./jwt-result";
export {
  decodeJwt,
  decodeJsonSegment,
  base64UrlDecode,
  base64UrlEncode,
  MAX_JWT_BYTES,
  type DecodedJwt,
} from "./jwt-decode";
export {
  checkProtectedHeader,
  selectVerificationKeys,
  algorithmFitsKey,
  validateClaims,
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_CLOCK_SKEW_SECONDS,
  type CheckedHeader,
  type HeaderOptions,
  type ClaimOptions,
  type ValidatedClaims,
  type Jwk,
} from "./jwt-claims";
export {
  identityTokenIssuer,
  identityTokenAudience,
  identityTokenClaims,
  readIdentityToken,
  checkIdentityClaims,
  IDENTITY_TOKEN_ALGORITHMS,
  IDENTITY_TOKEN_MAX_LIFETIME_SECONDS,
  type VerifiedIdentity,
} from "./identity-token";
export {
  findToken,
  tokenLocationsOf,
  cookieValues,
  withoutCookies,
  DEFAULT_TOKEN_LOCATIONS,
  type TokenLocation,
  type TokenSearch,
  type TokenSource,
} from "./jwt-location";
export { claimAt, claimHeaderValue, claimHeaders, isAllowedOutputHeader } from "./claim-headers";
export {
  compileRequestAuthentication,
  findEndUserToken,
  selectJwtRules,
  checkEndUserClaims,
  endUserHeaderEdits,
  type CompiledRequestAuthentication,
  type CompiledJwtRule,
  type SelectedJwt,
  type HeaderEdits,
} from "./request-authentication";
export {
  authorize,
  isPublicRoute,
  isAdminRole,
  classifyAdminRoute,
  ADMIN_ROUTES,
  type AdminRole,
  type AdminRoute,
  type AdminRouteName,
  type RouteAccess,
} from "./admin-rbac";
export {
  securityForService,
  toAuthorizationPolicyModel,
  toJwtRuleModels,
  toPeerAuthenticationPolicy,
  type PolicyDocument,
  type SecurityDocuments,
  type SecurityOptions,
  type IstioAuthorizationPolicySpec,
  type IstioRequestAuthenticationSpec,
  type IstioPeerAuthenticationSpec,
  type IstioJwtRule,
} from "./from-istio";
