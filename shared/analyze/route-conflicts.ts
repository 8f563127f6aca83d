// An HTTPRoute and a VirtualService that claim the same Service, found from the files alone (the Service
// itself need not be among them): the control plane refuses such a set with `conflict`.
import type { Resource } from "../resources/resource";
import { ofKind } from "../resources/registry";
import { isServiceParent } from "../resources/httproute";
import { hostToKey } from "../compile/resolve-host";
import type { Finding } from "./finding";
import { finding } from "./finding";

export function routeConflicts(resources: readonly Resource[]): Finding[] {
  const routed = new Map<string, string>();
  for (const route of ofKind(resources, "HTTPRoute")) {
    for (const ref of route.spec.parentRefs ?? []) {
      const key = `${ref.namespace ?? route.metadata.namespace}/${ref.name}`;
      if (isServiceParent(ref) && !routed.has(key))
        routed.set(key, `${route.metadata.namespace}/${route.metadata.name}`);
    }
  }
  const out: Finding[] = [];
  for (const vs of ofKind(resources, "VirtualService")) {
    vs.spec.hosts.forEach((host, i) => {
      const key = hostToKey(host, vs.metadata.namespace);
      const route = key === undefined ? undefined : routed.get(key);
      if (route === undefined) return;
      out.push(
        finding(
          vs,
          "error",
          "route-conflict",
          `spec.hosts[${i}]`,
          `Service ${key} is also routed by HTTPRoute ${route}; route a Service with either Gateway API or Istio, not both`,
        ),
      );
    });
  }
  return out;
}
