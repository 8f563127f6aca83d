// Which Services a resource acts on, and which resources act on a Service (for `flaremesh describe`).
import type { Resource } from "../resources/resource";
import type { ServiceResource } from "../resources/registry";
import { isKind, ofKind } from "../resources/registry";
import { isServiceParent } from "../resources/httproute";
import { hostToKey } from "../compile/resolve-host";
import { policySpecificity } from "../compile/scope";

export interface ServiceEffect {
  /** `namespace/name` of the Service. */
  service: string;
  /** How the resource relates to it, e.g. `routes`, `backend`, `policy (namespace-wide)`. */
  role: string;
}

const SCOPE = ["mesh-wide", "namespace-wide", "selector", "targetRef"] as const;

function keyOf(service: ServiceResource): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}

function scoped(service: ServiceResource) {
  return {
    name: service.metadata.name,
    namespace: service.metadata.namespace,
    labels: { app: service.metadata.name, ...(service.metadata.labels ?? {}) },
  };
}

/** Deduplicated by service and role, in first-seen order. */
function unique(effects: ServiceEffect[]): ServiceEffect[] {
  const seen = new Set<string>();
  return effects.filter((e) => {
    const id = `${e.service} ${e.role}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The Services `resource` acts on within `all` (the applied set). Routing kinds name Services even when
 * they do not exist (that is worth seeing); policies are matched against the Services that exist.
 */
export function affectedServices(resource: Resource, all: readonly Resource[]): ServiceEffect[] {
  const ns = resource.metadata.namespace;
  const services = ofKind(all, "Service").sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const host = (h: string, role: string): ServiceEffect[] => {
    const key = hostToKey(h, ns);
    return key === undefined ? [] : [{ service: key, role }];
  };
  if (isKind(resource, "Service")) return [{ service: `${ns}/${resource.metadata.name}`, role: "itself" }];
  if (isKind(resource, "HTTPRoute")) {
    const spec = resource.spec;
    return unique([
      ...(spec.parentRefs ?? [])
        .filter(isServiceParent)
        .map((ref) => ({ service: `${ref.namespace ?? ns}/${ref.name}`, role: "routes (parent)" })),
      ...(spec.rules ?? []).flatMap((rule) => [
        ...(rule.backendRefs ?? []).map((ref) => ({ service: `${ref.namespace ?? ns}/${ref.name}`, role: "backend" })),
        ...(rule.filters ?? []).flatMap((f) => {
          const ref = f.requestMirror?.backendRef;
          return ref === undefined ? [] : [{ service: `${ref.namespace ?? ns}/${ref.name}`, role: "mirror" }];
        }),
      ]),
    ]);
  }
  if (isKind(resource, "VirtualService")) {
    const spec = resource.spec;
    return unique([
      ...spec.hosts.flatMap((h) => host(h, "routes (host)")),
      ...(spec.http ?? []).flatMap((http) => [
        ...(http.route ?? []).flatMap((rd) => host(rd.destination.host, "destination")),
        ...(http.mirror !== undefined ? host(http.mirror.host, "mirror") : []),
        ...(http.mirrors ?? []).flatMap((m) => host(m.destination.host, "mirror")),
      ]),
    ]);
  }
  if (isKind(resource, "DestinationRule")) return host(resource.spec.host, "traffic policy and subsets");
  if (isKind(resource, "MeshConfig")) return services.map((s) => ({ service: keyOf(s), role: "mesh defaults" }));
  if (isKind(resource, "TelemetrySink")) {
    const spec = resource.spec;
    const refs = [...(spec.targetRef !== undefined ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])];
    if (refs.length === 0) return services.map((s) => ({ service: keyOf(s), role: "telemetry (mesh-wide)" }));
    return refs.map((ref) => ({ service: `${ref.namespace ?? ns}/${ref.name}`, role: "telemetry (targetRef)" }));
  }
  // AuthorizationPolicy, PeerAuthentication, RequestAuthentication, TrafficPolicy: contract §4 scope rules.
  return services.flatMap((s) => {
    const level = policySpecificity(resource, scoped(s));
    return level === undefined ? [] : [{ service: keyOf(s), role: `policy (${SCOPE[level] ?? "targetRef"})` }];
  });
}

/** The resources (other than the Service itself) that act on Service `namespace/name`. */
export function resourcesAffecting(
  service: string,
  all: readonly Resource[],
): { resource: Resource; roles: string[] }[] {
  return all.flatMap((resource) => {
    if (isKind(resource, "Service")) return [];
    const roles = affectedServices(resource, all)
      .filter((e) => e.service === service)
      .map((e) => e.role);
    return roles.length > 0 ? [{ resource, roles }] : [];
  });
}
