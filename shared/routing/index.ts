// Façade: pure request routing and endpoint choice over the snapshot model.
export { compileRouteTable, type CompiledRouteTable, type CompiledRoute } from "./route-table";
export {
  matchRoute,
  hostWithoutPort,
  type MatchStats,
  type RequestFacts,
  type RouteMatch,
  type PrefixMatched,
} from "./match-route";
export { chooseWeighted } from "./weighted";
export { createRoundRobinState, nextRoundRobin, type RoundRobinState } from "./round-robin";
export { pickByHash, fnv1a } from "./consistent-hash";
export { filterEndpointsBySubset } from "./subset";
export { applyHeaderMutation, type MutableHeaders } from "./header-mutation";
export { buildRedirect, type RedirectRequest } from "./redirect";
export { rewritePath, replacePrefixMatch, compileRegexRewrite, type CompiledRegexRewrite } from "./rewrite";
export { serviceKeyFromHost, parseHostSuffixes } from "./host";
export { preferLocal, zonesOf, type LocalityEndpoint, type WeightedView } from "./locality";
export { readCookie, sessionSetCookie, type SessionCookieModel } from "./session-cookie";
