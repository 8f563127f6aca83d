// Compiles a flaremesh Service into the base ServiceModel: labels and endpoints, no routes yet.
import type { EndpointModel, ServiceModel } from "../model/snapshot";
import type { ServiceResource } from "../resources/registry";
import { durationToMs } from "../duration";
import type { ResilienceInput } from "./policy-model";

/** A stable endpoint id: the Worker name or URL, so reordering endpoints keeps balancer/ejection state. */
function endpointIds(endpoints: { url?: string; worker?: string }[]): string[] {
  const seen = new Map<string, number>();
  return endpoints.map((ep) => {
    const base = ep.worker !== undefined ? `worker:${ep.worker}` : `url:${ep.url ?? ""}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

export function compileService(svc: ServiceResource): ServiceModel {
  const endpoints = svc.spec.endpoints ?? [];
  const ids = endpointIds(endpoints);
  return {
    name: svc.metadata.name,
    namespace: svc.metadata.namespace,
    // Every Service implicitly carries `app: <name>` (contract §4), unless its labels say otherwise.
    labels: { app: svc.metadata.name, ...(svc.metadata.labels ?? {}) },
    endpoints: endpoints.map((ep, i): EndpointModel => {
      const model: EndpointModel = {
        id: ids[i] ?? String(i),
        weight: ep.weight ?? 1,
        labels: { ...(ep.labels ?? {}) },
      };
      if (ep.url !== undefined) model.url = ep.url;
      if (ep.worker !== undefined) model.worker = ep.worker;
      if (ep.zone !== undefined) model.zone = ep.zone;
      if (ep.mtlsCertificate !== undefined) model.mtlsCertificate = ep.mtlsCertificate;
      return model;
    }),
    subsets: {},
    routes: [],
    routeSource: "default",
    policy: {},
  };
}

/** The route a service without HTTPRoute or VirtualService gets: everything to its own endpoints. */
export function defaultRoute(key: string): ServiceModel["routes"][number] {
  return { id: "default", matches: [], backends: [{ service: key, weight: 1 }], mirrors: [] };
}

/** The Service's `healthCheck` as resilience input (defaults come from HealthCheckModel); {} without one. */
export function healthCheckInput(svc: ServiceResource): Pick<ResilienceInput, "healthCheck"> {
  const hc = svc.spec.healthCheck;
  if (hc === undefined) return {};
  const out: NonNullable<ResilienceInput["healthCheck"]> = {};
  if (hc.path !== undefined) out.path = hc.path;
  if (hc.interval !== undefined) out.intervalMs = Math.max(1, durationToMs(hc.interval));
  if (hc.timeout !== undefined) out.timeoutMs = Math.max(1, durationToMs(hc.timeout));
  if (hc.unhealthyThreshold !== undefined) out.unhealthyThreshold = hc.unhealthyThreshold;
  if (hc.healthyThreshold !== undefined) out.healthyThreshold = hc.healthyThreshold;
  return { healthCheck: out };
}
