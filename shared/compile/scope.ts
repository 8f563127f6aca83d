// Which policies apply to a Service (contract §4 "Scope of a policy"), and how specifically.
import type { Resource } from "../resources/resource";
import type { TargetRef } from "../resources/common";

/** Policies in this namespace without targetRef/selector are mesh-wide (Istio's root namespace). */
export const ROOT_NAMESPACE = "istio-system";

interface ScopedSpec {
  targetRef?: TargetRef;
  targetRefs?: TargetRef[];
  selector?: { matchLabels?: Record<string, string> | undefined };
}

/**
 * Specificity when a policy applies to the service: 3 targetRef, 2 selector, 1 namespace, 0 mesh-wide;
 * undefined when it does not apply. A targetRef names a Service of the policy's own namespace; a selector
 * matches the Service's labels (which include `app: <name>`) in the policy's namespace, or in every
 * namespace from the root namespace; an empty `matchLabels` counts as no selector (as in Istio).
 */
export function policySpecificity(
  policy: Resource,
  service: { name: string; namespace: string; labels: Record<string, string> },
): number | undefined {
  const spec = policy.spec as ScopedSpec;
  const ns = policy.metadata.namespace;
  const refs = [...(spec.targetRef !== undefined ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])];
  if (refs.length > 0) {
    return ns === service.namespace && refs.some((r) => (r.namespace ?? ns) === ns && r.name === service.name)
      ? 3
      : undefined;
  }
  const wanted = Object.entries(spec.selector?.matchLabels ?? {});
  if (wanted.length > 0) {
    if (ns !== service.namespace && ns !== ROOT_NAMESPACE) return undefined;
    return wanted.every(([k, v]) => service.labels[k] === v) ? 2 : undefined;
  }
  if (ns === service.namespace) return 1;
  return ns === ROOT_NAMESPACE ? 0 : undefined;
}
