// Resolves an Istio-style host (`reviews`, `reviews.prod`, `reviews.prod.svc.cluster.local`) to a service key.

/** The cluster domain Kubernetes FQDNs end with. */
export const CLUSTER_DOMAIN = "svc.cluster.local";

/**
 * Resolves `host` as Istio does for a rule in `fromNamespace`: a short name is in the rule's namespace,
 * `name.ns` and `name.ns.svc[.cluster.local]` name the namespace. Returns the service key
 * (`<namespace>/<name>`) when it is in `serviceKeys`, else undefined (wildcards never resolve).
 */
export function resolveHost(
  host: string,
  fromNamespace: string,
  serviceKeys: Pick<ReadonlySet<string>, "has">,
): string | undefined {
  const key = hostToKey(host, fromNamespace);
  return key !== undefined && serviceKeys.has(key) ? key : undefined;
}

/** The service key a host names, whether or not such a service exists. */
export function hostToKey(host: string, fromNamespace: string): string | undefined {
  let h = host.trim().toLowerCase();
  if (h.endsWith(".")) h = h.slice(0, -1);
  if (h === "" || h.includes("*") || h.includes("/")) return undefined;
  if (h.endsWith(`.${CLUSTER_DOMAIN}`)) h = h.slice(0, -CLUSTER_DOMAIN.length - 1) + ".svc";
  const parts = h.split(".");
  if (parts.length === 3 && parts[2] === "svc") parts.pop();
  if (parts.length === 1) return `${fromNamespace}/${parts[0]}`;
  if (parts.length === 2) return `${parts[1]}/${parts[0]}`;
  return undefined;
}
