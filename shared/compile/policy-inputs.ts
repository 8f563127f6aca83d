// The mesh-wide policies a Service's compiled model may depend on, for reusing it across compiles.
import type { Resource } from "../resources/resource";
import { ROOT_NAMESPACE } from "./scope";

interface Scoped {
  targetRef?: { name?: unknown };
  targetRefs?: { name?: unknown }[];
  selector?: { matchLabels?: Record<string, string> };
}

/** The part of a Service document its policies are chosen by. */
export interface PolicySubject {
  namespace: string;
  name: string;
  labels?: Record<string, string> | undefined;
}

/** Selector policies of one namespace: by the `app` label they require, and those that require none. */
interface Selected {
  byApp: Map<string, Resource[]>;
  other: Resource[];
}

/**
 * For each Service, the policies (in the given order within each group) that could apply to it: a superset of what
 * every kind's scoping selects (`compile/scope.ts` for TrafficPolicy, `security/scope.ts` for the Istio kinds), so
 * that a model compiled with the same objects in this list is the model a compile from scratch gives. A policy
 * applies only in its own namespace or from the root one; one with targetRefs only to a Service they name; one with
 * a selector only to a Service whose labels (with the implicit `app: <name>`) it matches — a selector edited to
 * match other Services changes the list of those it matched before and of those it matches now.
 */
export function policiesBySubject(policies: readonly Resource[]): (service: PolicySubject) => readonly Resource[] {
  // Per namespace: the policies with targetRefs by the names they target, selector policies, and the others.
  const targeted = new Map<string, Map<string, Resource[]>>();
  const selected = new Map<string, Selected>();
  const wide = new Map<string, Resource[]>();
  for (const policy of policies) {
    const ns = policy.metadata.namespace;
    const spec = (policy.spec ?? {}) as Scoped;
    const refs = [...(spec.targetRef !== undefined ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])];
    if (refs.length > 0) {
      let byName = targeted.get(ns);
      if (byName === undefined) targeted.set(ns, (byName = new Map()));
      for (const name of new Set(refs.map((r) => String(r.name)))) append(byName, name, policy);
      continue;
    }
    const matchLabels = spec.selector?.matchLabels ?? {};
    // An empty matchLabels counts as no selector (as in Istio): the whole namespace.
    if (Object.keys(matchLabels).length === 0) {
      append(wide, ns, policy);
      continue;
    }
    let group = selected.get(ns);
    if (group === undefined) selected.set(ns, (group = { byApp: new Map(), other: [] }));
    const app = matchLabels.app;
    if (typeof app === "string") append(group.byApp, app, policy);
    else group.other.push(policy);
  }
  const none: readonly Resource[] = [];
  const matching = (ns: string, labels: Record<string, string>): Resource[] | undefined => {
    const group = selected.get(ns);
    if (group === undefined) return undefined;
    const candidates = [...(group.byApp.get(labels.app!) ?? []), ...group.other];
    return candidates.filter((p) => {
      const wanted = (p.spec as Scoped).selector?.matchLabels ?? {};
      return Object.entries(wanted).every(([k, v]) => labels[k] === v);
    });
  };
  return ({ namespace, name, labels }) => {
    // As the compile sees them (compile/service.ts): `app: <name>` unless the Service's labels say otherwise.
    const all = { app: name, ...(labels ?? {}) };
    const lists = [
      wide.get(namespace),
      targeted.get(namespace)?.get(name),
      matching(namespace, all),
      ...(namespace === ROOT_NAMESPACE
        ? []
        : [wide.get(ROOT_NAMESPACE), targeted.get(ROOT_NAMESPACE)?.get(name), matching(ROOT_NAMESPACE, all)]),
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
