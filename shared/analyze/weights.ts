// Weighted splits that can never send traffic anywhere: every destination or backend weighs 0.
import type { Resource } from "../resources/resource";
import { ofKind } from "../resources/registry";
import type { Finding } from "./finding";
import { finding } from "./finding";

/**
 * VirtualService: a lone destination without a weight takes everything, among several a missing weight is 0
 * (as the compiler reads them). HTTPRoute: a missing weight is 1; all-zero backends answer 500 (Gateway API).
 */
export function zeroWeights(resources: readonly Resource[]): Finding[] {
  const out: Finding[] = [];
  for (const vs of ofKind(resources, "VirtualService")) {
    (vs.spec.http ?? []).forEach((http, h) => {
      const route = http.route ?? [];
      if (route.length === 0) return;
      const weights = route.map((rd) => rd.weight ?? (route.length === 1 ? 100 : 0));
      if (weights.some((w) => w > 0)) return;
      const unset = route.some((rd) => rd.weight === undefined);
      out.push(
        finding(
          vs,
          "error",
          "weights-all-zero",
          `spec.http[${h}].route`,
          unset
            ? "every destination weighs 0 (among several destinations a missing weight is 0): no request can be routed; give the destinations weights"
            : "every destination weighs 0: no request can be routed",
        ),
      );
    });
  }
  for (const route of ofKind(resources, "HTTPRoute")) {
    (route.spec.rules ?? []).forEach((rule, r) => {
      const refs = rule.backendRefs ?? [];
      if (refs.length === 0 || refs.some((ref) => (ref.weight ?? 1) > 0)) return;
      out.push(
        finding(
          route,
          "error",
          "weights-all-zero",
          `spec.rules[${r}].backendRefs`,
          "every backendRef has weight 0: requests matching this rule get 500 (Gateway API)",
        ),
      );
    });
  }
  return out;
}
