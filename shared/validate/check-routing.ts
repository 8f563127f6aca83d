// Reference checks for routing kinds: HTTPRoute and VirtualService targets, DestinationRule hosts and
// subsets, and conflicts between resources that claim the same Service.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import type { DestinationRuleResource, HTTPRouteResource, VirtualServiceResource } from "../resources/registry";
import { ofKind } from "../resources/registry";
import { isServiceParent } from "../resources/httproute";
import type { Destination } from "../resources/istio-common";
import { compareResourceAge } from "../compile/order";
import { conflictDetail } from "./conflict";
import type { ReferenceIndex } from "./reference-index";
import { label, qualified, resolveFrom, resolveRef } from "./reference-index";

function missing(resource: Resource, path: string, what: string): ErrorDetail {
  return { document: label(resource), path, message: `${what} does not exist` };
}

function checkHttpRoute(index: ReferenceIndex, route: HTTPRouteResource): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const ns = route.metadata.namespace;
  (route.spec.parentRefs ?? []).forEach((ref, i) => {
    if (isServiceParent(ref) && resolveRef(index, route, ref) === undefined) {
      out.push(missing(route, `spec.parentRefs[${i}].name`, `parent Service ${ref.namespace ?? ns}/${ref.name}`));
    }
  });
  (route.spec.rules ?? []).forEach((rule, r) => {
    (rule.backendRefs ?? []).forEach((ref, b) => {
      if (resolveRef(index, route, ref) === undefined) {
        out.push(
          missing(
            route,
            `spec.rules[${r}].backendRefs[${b}].name`,
            `backend Service ${ref.namespace ?? ns}/${ref.name}`,
          ),
        );
      }
    });
    (rule.filters ?? []).forEach((f, k) => {
      const ref = f.requestMirror?.backendRef;
      if (ref !== undefined && resolveRef(index, route, ref) === undefined) {
        out.push(
          missing(
            route,
            `spec.rules[${r}].filters[${k}].requestMirror.backendRef.name`,
            `mirror Service ${ref.namespace ?? ns}/${ref.name}`,
          ),
        );
      }
    });
  });
  return out;
}

/** Subset names each Service has, from the DestinationRules whose host is that Service. */
function definedSubsets(index: ReferenceIndex): Map<string, Set<string>> {
  const subsets = new Map<string, Set<string>>();
  for (const dr of ofKind(index.resources, "DestinationRule")) {
    const key = resolveFrom(index, dr, dr.spec.host);
    if (key === undefined) continue;
    const names = subsets.get(key) ?? new Set<string>();
    for (const s of dr.spec.subsets ?? []) names.add(s.name);
    subsets.set(key, names);
  }
  return subsets;
}

function checkDestination(
  index: ReferenceIndex,
  vs: VirtualServiceResource,
  dest: Destination,
  path: string,
  subsets: Map<string, Set<string>>,
): ErrorDetail[] {
  const key = resolveFrom(index, vs, dest.host);
  if (key === undefined)
    return [
      { document: label(vs), path: `${path}.host`, message: `host ${dest.host} does not name an existing Service` },
    ];
  if (dest.subset !== undefined && !(subsets.get(key)?.has(dest.subset) ?? false)) {
    return [
      {
        document: label(vs),
        path: `${path}.subset`,
        message: `subset ${dest.subset} is not defined by any DestinationRule for ${key}`,
      },
    ];
  }
  return [];
}

function checkVirtualService(
  index: ReferenceIndex,
  vs: VirtualServiceResource,
  subsets: Map<string, Set<string>>,
): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  vs.spec.hosts.forEach((host, i) => {
    if (resolveFrom(index, vs, host) === undefined) {
      out.push({
        document: label(vs),
        path: `spec.hosts[${i}]`,
        message: `host ${host} does not name an existing Service`,
      });
    }
  });
  (vs.spec.http ?? []).forEach((http, h) => {
    const base = `spec.http[${h}]`;
    (http.route ?? []).forEach((rd, d) =>
      out.push(...checkDestination(index, vs, rd.destination, `${base}.route[${d}].destination`, subsets)),
    );
    if (http.mirror !== undefined) out.push(...checkDestination(index, vs, http.mirror, `${base}.mirror`, subsets));
    (http.mirrors ?? []).forEach((m, k) =>
      out.push(...checkDestination(index, vs, m.destination, `${base}.mirrors[${k}].destination`, subsets)),
    );
  });
  return out;
}

function checkDestinationRule(index: ReferenceIndex, dr: DestinationRuleResource): ErrorDetail[] {
  if (resolveFrom(index, dr, dr.spec.host) !== undefined) return [];
  return [
    { document: label(dr), path: "spec.host", message: `host ${dr.spec.host} does not name an existing Service` },
  ];
}

interface Claim {
  resource: Resource;
  path: string;
}

/** Which resources claim each Service: routing (HTTPRoute / VirtualService) and DestinationRules. */
function claims(index: ReferenceIndex): { routing: Map<string, Claim[]>; rules: Map<string, Claim[]> } {
  const routing = new Map<string, Claim[]>();
  const rules = new Map<string, Claim[]>();
  const add = (map: Map<string, Claim[]>, key: string | undefined, claim: Claim) => {
    if (key === undefined) return;
    const list = map.get(key) ?? [];
    if (!list.some((c) => c.resource === claim.resource)) list.push(claim);
    map.set(key, list);
  };
  for (const route of ofKind(index.resources, "HTTPRoute")) {
    (route.spec.parentRefs ?? []).forEach((ref, i) => {
      if (isServiceParent(ref))
        add(routing, resolveRef(index, route, ref), { resource: route, path: `spec.parentRefs[${i}]` });
    });
  }
  for (const vs of ofKind(index.resources, "VirtualService")) {
    vs.spec.hosts.forEach((host, i) =>
      add(routing, resolveFrom(index, vs, host), { resource: vs, path: `spec.hosts[${i}]` }),
    );
  }
  for (const dr of ofKind(index.resources, "DestinationRule")) {
    add(rules, resolveFrom(index, dr, dr.spec.host), { resource: dr, path: "spec.host" });
  }
  return { routing, rules };
}

function conflicts(index: ReferenceIndex): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const { routing, rules } = claims(index);
  for (const [service, list] of routing) {
    const sorted = [...list].sort((a, b) => compareResourceAge(a.resource, b.resource));
    const routes = sorted.filter((c) => c.resource.kind === "HTTPRoute");
    const virtualServices = sorted.filter((c) => c.resource.kind === "VirtualService");
    const firstRoute = routes[0];
    if (firstRoute !== undefined) {
      for (const vs of virtualServices) {
        out.push(
          conflictDetail(
            label(vs.resource),
            vs.path,
            `Service ${service} is claimed by both HTTPRoute ${qualified(firstRoute.resource)} and VirtualService ${qualified(vs.resource)}; route a Service with either Gateway API or Istio, not both`,
          ),
        );
      }
      continue;
    }
    const [firstVs, ...others] = virtualServices;
    for (const vs of others) {
      out.push(
        conflictDetail(
          label(vs.resource),
          vs.path,
          `Service ${service} is already routed by VirtualService ${qualified(firstVs?.resource ?? vs.resource)}; merge the two VirtualServices`,
        ),
      );
    }
  }
  for (const [service, list] of rules) {
    const [first, ...others] = [...list].sort((a, b) => compareResourceAge(a.resource, b.resource));
    for (const dr of others) {
      out.push(
        conflictDetail(
          label(dr.resource),
          dr.path,
          `Service ${service} already has DestinationRule ${qualified(first?.resource ?? dr.resource)}; merge the two DestinationRules`,
        ),
      );
    }
  }
  return out;
}

/** All routing reference problems of a resource set. */
export function checkRouting(index: ReferenceIndex): ErrorDetail[] {
  const subsets = definedSubsets(index);
  return [
    ...ofKind(index.resources, "HTTPRoute").flatMap((r) => checkHttpRoute(index, r)),
    ...ofKind(index.resources, "VirtualService").flatMap((vs) => checkVirtualService(index, vs, subsets)),
    ...ofKind(index.resources, "DestinationRule").flatMap((dr) => checkDestinationRule(index, dr)),
    ...conflicts(index),
  ];
}
