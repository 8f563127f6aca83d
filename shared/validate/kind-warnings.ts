// Warnings for a valid document: ignored `status`, fields accepted but not acted upon, inert references.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import type { KindInfo, SpecByKind } from "../resources/registry";
import { isServiceParent } from "../resources/httproute";
import { formatPath, presentPaths } from "./field-path";

function httpRouteWarnings(spec: SpecByKind["HTTPRoute"]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const parents = spec.parentRefs ?? [];
  parents.forEach((ref, i) => {
    if (!isServiceParent(ref)) {
      out.push({
        path: `spec.parentRefs[${i}]`,
        message: `parent kind ${ref.kind ?? "Gateway (the default)"} is ignored: flaremesh attaches HTTPRoutes to Services (GAMMA, kind: Service)`,
      });
    }
  });
  if (!parents.some(isServiceParent))
    out.push({ path: "spec.parentRefs", message: "no parentRef of kind Service: this HTTPRoute has no effect" });
  return out;
}

function virtualServiceWarnings(spec: SpecByKind["VirtualService"]): { path: string; message: string }[] {
  return (spec.gateways ?? []).flatMap((g, i) =>
    g === "mesh"
      ? []
      : [
          {
            path: `spec.gateways[${i}]`,
            message: `gateway ${g} is ignored: flaremesh applies VirtualServices to mesh traffic`,
          },
        ],
  );
}

/** Warnings for a document that passed its schema. `raw` is the document as written (for `status`). */
export function kindWarnings(
  info: KindInfo,
  resource: Resource,
  raw: Record<string, unknown>,
  label: string,
): ErrorDetail[] {
  const found: { path: string; message: string }[] = [];
  if (raw.status !== undefined)
    found.push({ path: "status", message: "status is set by a cluster, not by users; it is ignored" });
  for (const pattern of info.ignored) {
    for (const path of presentPaths(resource, pattern)) {
      found.push({ path: formatPath(path), message: "accepted but not acted upon by flaremesh" });
    }
  }
  if (resource.kind === "HTTPRoute") found.push(...httpRouteWarnings(resource.spec as SpecByKind["HTTPRoute"]));
  if (resource.kind === "VirtualService")
    found.push(...virtualServiceWarnings(resource.spec as SpecByKind["VirtualService"]));
  if (
    resource.kind === "AuthorizationPolicy" &&
    (resource.spec as SpecByKind["AuthorizationPolicy"]).action === "CUSTOM"
  ) {
    found.push({
      path: "spec.action",
      message: "flaremesh has no external authorizers: requests a CUSTOM policy matches are denied",
    });
  }
  return found.map((f) => ({ document: label, ...f }));
}
