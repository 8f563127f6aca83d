// The mesh-wide policies a Service's compiled model may depend on, for reusing it across compiles.
import type { Resource } from "../resources/resource";
import { ROOT_NAMESPACE } from "./scope";

interface Targeted {
  targetRef?: { name?: unknown };
  targetRefs?: { name?: unknown }[];
}

/**
 * For each Service, the policies (in the given order) that could apply to it: a superset of what every kind's
 * scoping selects (`compile/scope.ts` for TrafficPolicy, `security/scope.ts` for the Istio kinds), so that a model
 * compiled with the same objects in this list is the model a compile from scratch gives. A policy applies only in
 * its own namespace or from the root one, and one with targetRefs only to a Service they name; selectors and
 * namespace-wide policies are kept whatever the labels (a label edit changes the Service document anyway).
 */
export function policiesBySubject(
  policies: readonly Resource[],
): (service: { namespace: string; name: string }) => readonly Resource[] {
  // Per namespace: the policies with targetRefs by the names they target, and the others as they come.
  const targeted = new Map<string, Map<string, Resource[]>>();
  const wide = new Map<string, Resource[]>();
  for (const policy of policies) {
    const ns = policy.metadata.namespace;
    const spec = (policy.spec ?? {}) as Targeted;
    const refs = [...(spec.targetRef !== undefined ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])];
    if (refs.length === 0) {
      append(wide, ns, policy);
      continue;
    }
    let byName = targeted.get(ns);
    if (byName === undefined) targeted.set(ns, (byName = new Map()));
    for (const name of new Set(refs.map((r) => String(r.name)))) append(byName, name, policy);
  }
  const none: readonly Resource[] = [];
  return ({ namespace, name }) => {
    const lists = [
      wide.get(namespace),
      targeted.get(namespace)?.get(name),
      ...(namespace === ROOT_NAMESPACE ? [] : [wide.get(ROOT_NAMESPACE), targeted.get(ROOT_NAMESPACE)?.get(name)]),
    ].filter((l): l is Resource[] => l !== undefined && l.length > 0);
    // Grouped, not in the given order: only the same objects in the same order matter to reusing a model.
    if (lists.length === 0) return none;
    return lists.length === 1 ? lists[0]! : lists.flat();
  };
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
