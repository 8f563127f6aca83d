// AuthorizationPolicies that refuse every request, most likely by accident: a mesh-wide ALLOW policy with no
// rules (Istio reads it as "allow nothing") and a DENY policy with a rule that matches every request.
import type { Resource } from "../resources/resource";
import type { AuthorizationPolicyResource } from "../resources/registry";
import { ofKind } from "../resources/registry";
import type { AuthorizationRule } from "../resources/authorizationpolicy";
import { ROOT_NAMESPACE } from "../compile/scope";
import type { Finding } from "./finding";
import { finding } from "./finding";

function scopeOf(policy: AuthorizationPolicyResource): "mesh" | "namespace" | "selected" {
  const spec = policy.spec;
  const selected =
    spec.targetRef !== undefined ||
    (spec.targetRefs ?? []).length > 0 ||
    Object.keys(spec.selector?.matchLabels ?? {}).length > 0;
  if (selected) return "selected";
  return policy.metadata.namespace === ROOT_NAMESPACE ? "mesh" : "namespace";
}

const isEmpty = (value: object | undefined) =>
  value === undefined || Object.values(value).every((v) => v === undefined);

/** A rule with no `from`, `to` or `when` (or only empty ones) matches every request. */
function matchesEverything(rule: AuthorizationRule): boolean {
  const none = <T>(list: T[] | undefined, empty: (item: T) => boolean) =>
    list === undefined || list.length === 0 || list.every(empty);
  return (
    none(rule.from, (f) => isEmpty(f.source)) &&
    none(rule.to, (t) => isEmpty(t.operation)) &&
    (rule.when === undefined || rule.when.length === 0)
  );
}

function policyFindings(policy: AuthorizationPolicyResource): Finding[] {
  const action = policy.spec.action ?? "ALLOW";
  const rules = policy.spec.rules ?? [];
  const scope = scopeOf(policy);
  if (action === "ALLOW" && rules.length === 0 && scope === "mesh") {
    return [
      finding(
        policy,
        "warning",
        "authz-allow-nothing",
        policy.spec.rules === undefined ? "spec" : "spec.rules",
        `an ALLOW policy with no rules in the root namespace ${ROOT_NAMESPACE} applies mesh-wide and allows nothing: every request to every Service is denied (add rules, or use DENY policies)`,
      ),
    ];
  }
  if (action !== "DENY") return [];
  const where =
    scope === "mesh"
      ? "every Service of the mesh"
      : scope === "namespace"
        ? `every Service of namespace ${policy.metadata.namespace}`
        : "the Services it selects";
  return rules.flatMap((rule, i) =>
    matchesEverything(rule)
      ? [
          finding(
            policy,
            "warning",
            "authz-deny-all",
            `spec.rules[${i}]`,
            `a DENY rule with no from, to or when matches every request: all requests to ${where} are denied`,
          ),
        ]
      : [],
  );
}

export function accidentalDenyAll(resources: readonly Resource[]): Finding[] {
  return ofKind(resources, "AuthorizationPolicy").flatMap(policyFindings);
}
