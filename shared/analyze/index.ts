// Façade: analyzers that go beyond schema and reference validation (like `istioctl analyze`), run offline by
// `flaremesh validate`. Pure: resources in, findings out. Also source locations and "what affects what".
import type { Resource } from "../resources/resource";
import type { Finding } from "./finding";
import { accidentalDenyAll } from "./authorization";
import { routeConflicts } from "./route-conflicts";
import { shadowedRoutes } from "./shadowed-routes";
import { zeroWeights } from "./weights";

export type { Finding, FindingCode, Severity } from "./finding";
export { affectedServices, resourcesAffecting, type ServiceEffect } from "./affects";
export { documentLocator, parseFieldPath, type DocumentLocator, type Position } from "./locate";
export { istioMatchCovers } from "./shadowed-routes";

/**
 * Every analyzer over a validated resource set, in a stable order (by analyzer, then document order).
 * `error` findings make an apply useless or are refused by the control plane; `warning`s are likely mistakes.
 */
export function analyzeResources(resources: readonly Resource[]): Finding[] {
  return [
    ...routeConflicts(resources),
    ...zeroWeights(resources),
    ...shadowedRoutes(resources),
    ...accidentalDenyAll(resources),
  ];
}
