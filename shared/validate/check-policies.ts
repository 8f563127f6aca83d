// Reference checks for policies: targetRef/targetRefs must name existing Services; MeshConfig is a singleton.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import type { TargetRef } from "../resources/common";
import { ofKind } from "../resources/registry";
import { compareResourceAge } from "../compile/order";
import type { ReferenceIndex } from "./reference-index";
import { label, qualified, resolveRef } from "./reference-index";

const TARGETED_KINDS = [
  "AuthorizationPolicy",
  "RequestAuthentication",
  "PeerAuthentication",
  "TrafficPolicy",
  "TelemetrySink",
] as const;

function checkTargets(index: ReferenceIndex, resource: Resource): ErrorDetail[] {
  const spec = resource.spec as { targetRef?: TargetRef; targetRefs?: TargetRef[] };
  const refs: { ref: TargetRef; path: string }[] = [];
  if (spec.targetRef !== undefined) refs.push({ ref: spec.targetRef, path: "spec.targetRef" });
  (spec.targetRefs ?? []).forEach((ref, i) => refs.push({ ref, path: `spec.targetRefs[${i}]` }));
  const ns = resource.metadata.namespace;
  return refs.flatMap(({ ref, path }): ErrorDetail[] => {
    if (ref.namespace !== undefined && ref.namespace !== ns) {
      return [
        {
          document: label(resource),
          path: `${path}.namespace`,
          message: `a policy can only target Services of its own namespace (${ns})`,
        },
      ];
    }
    if (resolveRef(index, resource, ref) !== undefined) return [];
    return [
      { document: label(resource), path: `${path}.name`, message: `target Service ${ns}/${ref.name} does not exist` },
    ];
  });
}

function checkSingletons(index: ReferenceIndex): ErrorDetail[] {
  const [first, ...others] = [...ofKind(index.resources, "MeshConfig")].sort(compareResourceAge);
  return others.map((extra) => ({
    document: label(extra),
    path: "metadata.namespace",
    message: `only one MeshConfig may exist; ${qualified(first ?? extra)} is already defined`,
  }));
}

export function checkPolicies(index: ReferenceIndex): ErrorDetail[] {
  return [
    ...index.resources
      .filter((r) => (TARGETED_KINDS as readonly string[]).includes(r.kind))
      .flatMap((r) => checkTargets(index, r)),
    ...checkSingletons(index),
  ];
}
