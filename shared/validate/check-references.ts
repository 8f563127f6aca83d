// Cross-resource consistency of a complete resource set: references, conflicts, singletons, endpoint policy.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import { checkRouting } from "./check-routing";
import { checkPolicies } from "./check-policies";
import type { Environment } from "./endpoint-policy";
import { checkEndpoints } from "./endpoint-policy";
import { buildIndex } from "./reference-index";

export function checkReferences(resources: readonly Resource[], environment: Environment): ErrorDetail[] {
  const index = buildIndex(resources);
  return [...checkRouting(index), ...checkPolicies(index), ...checkEndpoints(index, environment)];
}
