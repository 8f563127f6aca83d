// Host → service key (`<namespace>/<name>`), for requests arriving at the proxy and for egress URLs.

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_SUFFIXES = [".svc.cluster.local", ".svc"];

/**
 * `<name><suffix>` → `default/<name>`, `<name>.<ns><suffix>` → `<ns>/<name>` (suffixes such as `.localhost`).
 * With `bareNames` (egress URLs written by Workers) also `name`, `name.ns` and `name.ns.svc.cluster.local`.
 * `host` carries no port and is lower-case. Returns null when the host names no service.
 */
export function serviceKeyFromHost(host: string, suffixes: readonly string[], bareNames: boolean): string | null {
  for (const suffix of suffixes) {
    if (suffix !== "" && host.endsWith(suffix) && host.length > suffix.length) {
      return fromLabels(host.slice(0, -suffix.length));
    }
  }
  if (!bareNames) return null;
  for (const suffix of CLUSTER_SUFFIXES) {
    if (host.endsWith(suffix)) {
      const rest = host.slice(0, -suffix.length);
      return rest.includes(".") ? fromLabels(rest) : null;
    }
  }
  return fromLabels(host);
}

function fromLabels(rest: string): string | null {
  const parts = rest.split(".");
  if (parts.length > 2 || !parts.every((p) => LABEL.test(p))) return null;
  const [name, namespace = "default"] = parts as [string, string?];
  return `${namespace}/${name}`;
}

/** Parses `MESH_HOST_SUFFIXES` (`.localhost,.mesh.example.com`); default `.localhost`. */
export function parseHostSuffixes(value: string | undefined): string[] {
  const list = (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "")
    .map((s) => (s.startsWith(".") ? s : `.${s}`));
  return list.length > 0 ? list : [".localhost"];
}
