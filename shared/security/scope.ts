// Which services a security policy applies to, and at which level (workload < namespace < mesh).

export const ROOT_NAMESPACE = "istio-system";

export interface PolicyTargetRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** The scope fields of a policy spec: `selector.matchLabels` or `targetRef(s)`; neither = whole namespace. */
export interface PolicyScope {
  selector?: { matchLabels?: Record<string, string> };
  targetRef?: PolicyTargetRef;
  targetRefs?: PolicyTargetRef[];
}

export interface ScopedService {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
}

export type ScopeLevel = "workload" | "namespace" | "mesh";

export interface ScopeOptions {
  rootNamespace?: string;
  /**
   * Istio differs per kind: an AuthorizationPolicy or RequestAuthentication in the root namespace with a
   * selector matches workloads of every namespace; a PeerAuthentication there with a selector is ignored.
   */
  rootSelector: "all-namespaces" | "ignored";
}

function targetsOf(scope: PolicyScope): PolicyTargetRef[] {
  return [...(scope.targetRef ? [scope.targetRef] : []), ...(scope.targetRefs ?? [])];
}

/** Every Service implicitly carries `app: <name>` (contract §4), so `matchLabels: {app: reviews}` works. */
export function serviceLabels(service: ScopedService): Record<string, string> {
  return { app: service.name, ...(service.labels ?? {}) };
}

/**
 * The level at which a policy living in `policyNamespace` applies to `service`, or null when it does not.
 * An empty `matchLabels` counts as no selector, as in Istio.
 */
export function scopeLevel(
  policyNamespace: string,
  scope: PolicyScope,
  service: ScopedService,
  options: ScopeOptions,
): ScopeLevel | null {
  const root = options.rootNamespace ?? ROOT_NAMESPACE;
  const targets = targetsOf(scope);
  if (targets.length > 0) {
    // Policy attachment is namespace-local: a targetRef names a Service of the policy's own namespace.
    const hit = targets.some(
      (t) =>
        t.kind === "Service" &&
        t.name === service.name &&
        (t.namespace ?? policyNamespace) === policyNamespace &&
        policyNamespace === service.namespace,
    );
    return hit ? "workload" : null;
  }
  const matchLabels = scope.selector?.matchLabels ?? {};
  const selectorKeys = Object.keys(matchLabels);
  if (selectorKeys.length > 0) {
    if (policyNamespace === root && options.rootSelector === "ignored") return null;
    if (policyNamespace !== service.namespace && policyNamespace !== root) return null;
    const labels = serviceLabels(service);
    return selectorKeys.every((k) => labels[k] === matchLabels[k]) ? "workload" : null;
  }
  if (policyNamespace === root) return "mesh";
  return policyNamespace === service.namespace ? "namespace" : null;
}
