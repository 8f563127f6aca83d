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
import { deepFreeze } from "../deep-freeze";
import { groupByKeys } from "./group-by-keys";
import { policiesBySubject } from "./policy-inputs";

export { resolveHost, hostToKey } from "./resolve-host";
export { compareResourceAge } from "./order";
export { policySpecificity, ROOT_NAMESPACE } from "./scope";
export type { DestinationPolicy, ResilienceInput } from "./policy-model";

function oldest<T extends Resource>(list: T[]): T | undefined {
  return [...list].sort(compareResourceAge)[0];
}

/**
 * A Service's compiled model, kept with the documents it was compiled from (by identity). The control plane keeps
 * unchanged resources as the same objects from one apply to the next, so an apply recompiles only the Services its
 * documents touch: its routing documents, or a policy that could apply to it (`policiesBySubject`). No model
 * depends on the MeshConfig: its settings, the default mTLS mode among them, go to the snapshot's `mesh` only.
 * Which other Services exist matters only through the ones the model's routes name: the answers the compile got
 * about them are kept and checked again. Held models are frozen, with whatever they share with the documents (label
 * maps, for one): the snapshots that share them cannot change them.
 */
const compiledModels = new WeakMap<object, HeldModel>();

interface HeldModel {
  inputs: readonly unknown[];
  /** Each Service key the compile asked about, and whether it existed. */
  asked: ReadonlyMap<string, boolean>;
  model: ServiceModel;
}

function stillHolds(held: HeldModel, inputs: readonly unknown[], keys: ReadonlySet<string>) {
  if (!sameItems(held.inputs, inputs)) return false;
  for (const [key, existed] of held.asked) if (keys.has(key) !== existed) return false;
  return true;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  const rulesOf = groupByKeys(destinationRules, (d) => [resolveHost(d.spec.host, d.metadata.namespace, serviceKeys)]);

  // What a Service's model depends on besides its own documents: the policies (TrafficPolicy and the Istio security
  // kinds) that could apply to it by scope.
  const policyKinds = ["TrafficPolicy", "PeerAuthentication", "RequestAuthentication", "AuthorizationPolicy"] as const;
  const policiesFor = policiesBySubject(policyKinds.flatMap((kind): Resource[] => ofKind(resources, kind)));

  const services: Record<string, ServiceModel> = {};
  for (const svc of serviceResources) {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const dr = oldest(rulesOf.get(key) ?? []);
    const attached = routesOf.get(key) ?? [];
    const vs = oldest(virtualServicesOf.get(key) ?? []);
    const inputs = [svc, dr, vs, ...attached, null, ...policiesFor(svc.metadata)];
    const held = compiledModels.get(svc);
    if (held !== undefined && stillHolds(held, inputs, serviceKeys)) {
      services[key] = held.model;
      continue;
    }
    // Routes resolve hosts and backends against the set of Services: the answers are recorded with the model.
    const asked = new Map<string, boolean>();
    const known = {
      has(k: string): boolean {
        const exists = serviceKeys.has(k);
        asked.set(k, exists);
        return exists;
      },
    };
    const model = compileService(svc);

    const fromRule = dr !== undefined ? compileDestinationRule(dr) : { subsets: {}, resilience: {} };
    const fromPolicies = compileTrafficPolicies(trafficPolicies, model);
    model.subsets = fromRule.subsets;
    // A TrafficPolicy field wins over the same DestinationRule field.
    const policy: DestinationPolicy = {
      security: compileSecurity(model, security),
      resilience: parseDroppingInvalid(ServiceResilienceModel, {
        ...fromRule.resilience,
        ...fromPolicies.resilience,
        ...healthCheckInput(svc),
      })[0],
    };
    const loadBalancer = fromPolicies.loadBalancer ?? fromRule.loadBalancer;
    if (loadBalancer !== undefined) policy.loadBalancer = loadBalancer;
    model.policy = policy;

    if (attached.length > 0) {
      model.routes = compileHttpRoutes(attached, key).map((r) => ({
        ...r,
        backends: r.backends.filter((b) => known.has(b.service)),
        mirrors: r.mirrors.filter((m) => known.has(m.service)),
      }));
      model.routeSource = "HTTPRoute";
    } else if (vs !== undefined) {
      model.routes = compileVirtualService(vs, known);
      model.routeSource = "VirtualService";
    } else {
      model.routes = [defaultRoute(key)];
    }
    services[key] = deepFreeze(model);
    compiledModels.set(svc, { inputs, asked, model });
  }

  const mesh = compileMeshConfig(meshConfig);
  const telemetry = compileTelemetry(resources, serviceKeys);
  return { format: SNAPSHOT_FORMAT, revision, generatedAt, mesh, services, ...(telemetry ? { telemetry } : {}) };
}
