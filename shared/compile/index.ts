// Façade: translate a consistent resource set into the snapshot every proxy serves.
import type { Resource } from "../resources/resource";
import type { ServiceModel, SnapshotModel } from "../model/snapshot";
import { SNAPSHOT_FORMAT } from "../model/snapshot";
import { ServiceResilienceModel } from "../model/resilience";
import type { DestinationPolicy } from "./policy-model";
import { ofKind } from "../resources/registry";
import { compileDestinationRule } from "./destination-rule";
import { compileHttpRoutes, routesByParent } from "./httproute";
import { compileMeshConfig } from "./mesh-config";
import { compareResourceAge } from "./order";
import { resolveHost } from "./resolve-host";
import { parseDroppingInvalid } from "./parse-tolerant";
import { compileSecurity, securityDocuments } from "./security";
import { compileService, defaultRoute, healthCheckInput } from "./service";
import { compileTelemetry } from "./telemetry";
import { compileTrafficPolicies } from "./traffic-policy";
import { compileVirtualService, virtualServicesByHost } from "./virtualservice";

export { resolveHost, hostToKey } from "./resolve-host";
export { compareResourceAge } from "./order";
export { policySpecificity, ROOT_NAMESPACE } from "./scope";
export type { DestinationPolicy, ResilienceInput } from "./policy-model";

function oldest<T extends Resource>(list: T[]): T | undefined {
  return [...list].sort(compareResourceAge)[0];
}

/**
 * Pure: the same resources, revision and time always give the same snapshot. Expects a set that passed
 * validateDocuments and checkReferences; on an inconsistent set it still produces a valid snapshot
 * (unresolvable references are dropped, and of two claimants the oldest wins).
 */
export function compileSnapshot(resources: Resource[], revision: number, generatedAt: string): SnapshotModel {
  const serviceResources = ofKind(resources, "Service").sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1,
  );
  const serviceKeys = new Set(serviceResources.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const httpRoutes = ofKind(resources, "HTTPRoute");
  const virtualServices = ofKind(resources, "VirtualService");
  const destinationRules = ofKind(resources, "DestinationRule");
  const trafficPolicies = ofKind(resources, "TrafficPolicy");
  const meshConfig = oldest(ofKind(resources, "MeshConfig"));
  const security = securityDocuments(resources);

  // Indexed once by Service key: looking them up per Service made a 1,000-Service mesh quadratic.
  const routesOf = routesByParent(httpRoutes);
  const virtualServicesOf = virtualServicesByHost(virtualServices, serviceKeys);
  const rulesOf = new Map<string, typeof destinationRules>();
  for (const d of destinationRules) {
    const key = resolveHost(d.spec.host, d.metadata.namespace, serviceKeys);
    if (key !== undefined) rulesOf.set(key, [...(rulesOf.get(key) ?? []), d]);
  }

  const services: Record<string, ServiceModel> = {};
  for (const svc of serviceResources) {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const model = compileService(svc);

    const dr = oldest(rulesOf.get(key) ?? []);
    const fromRule = dr !== undefined ? compileDestinationRule(dr) : { subsets: {}, resilience: {} };
    const fromPolicies = compileTrafficPolicies(trafficPolicies, model);
    model.subsets = fromRule.subsets;
    // A TrafficPolicy field wins over the same DestinationRule field.
    const policy: DestinationPolicy = {
      security: compileSecurity(model, security, meshConfig),
      resilience: parseDroppingInvalid(ServiceResilienceModel, {
        ...fromRule.resilience,
        ...fromPolicies.resilience,
        ...healthCheckInput(svc),
      })[0],
    };
    const loadBalancer = fromPolicies.loadBalancer ?? fromRule.loadBalancer;
    if (loadBalancer !== undefined) policy.loadBalancer = loadBalancer;
    model.policy = policy;

    const attached = routesOf.get(key) ?? [];
    const vs = oldest(virtualServicesOf.get(key) ?? []);
    if (attached.length > 0) {
      model.routes = compileHttpRoutes(attached, key).map((r) => ({
        ...r,
        backends: r.backends.filter((b) => serviceKeys.has(b.service)),
        mirrors: r.mirrors.filter((m) => serviceKeys.has(m.service)),
      }));
      model.routeSource = "HTTPRoute";
    } else if (vs !== undefined) {
      model.routes = compileVirtualService(vs, serviceKeys);
      model.routeSource = "VirtualService";
    } else {
      model.routes = [defaultRoute(key)];
    }
    services[key] = model;
  }

  const mesh = compileMeshConfig(meshConfig);
  const telemetry = compileTelemetry(resources, serviceKeys);
  return { format: SNAPSHOT_FORMAT, revision, generatedAt, mesh, services, ...(telemetry ? { telemetry } : {}) };
}
