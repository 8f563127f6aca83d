// Policy scope: targetRef / selector / namespace / root namespace, per kind.
import { describe, expect, it } from "vitest";
import { scopeLevel, type PolicyScope, type ScopeOptions } from "./scope";

const reviews = { namespace: "default", name: "reviews", labels: { version: "v2" } };
const authz: ScopeOptions = { rootSelector: "all-namespaces" };
const peer: ScopeOptions = { rootSelector: "ignored" };

describe("scopeLevel", () => {
  it.each<[string, string, PolicyScope, ScopeOptions, string | null]>([
    ["namespace-wide", "default", {}, authz, "namespace"],
    ["other namespace", "prod", {}, authz, null],
    ["mesh-wide", "istio-system", {}, authz, "mesh"],
    ["empty matchLabels = namespace-wide", "default", { selector: { matchLabels: {} } }, authz, "namespace"],
    ["selector on implicit app label", "default", { selector: { matchLabels: { app: "reviews" } } }, authz, "workload"],
    [
      "selector on explicit label",
      "default",
      { selector: { matchLabels: { app: "reviews", version: "v2" } } },
      authz,
      "workload",
    ],
    ["selector mismatch", "default", { selector: { matchLabels: { app: "ratings" } } }, authz, null],
    ["selector in another namespace", "prod", { selector: { matchLabels: { app: "reviews" } } }, authz, null],
    [
      "root selector, authz: all namespaces",
      "istio-system",
      { selector: { matchLabels: { app: "reviews" } } },
      authz,
      "workload",
    ],
    [
      "root selector, peer auth: ignored",
      "istio-system",
      { selector: { matchLabels: { app: "reviews" } } },
      peer,
      null,
    ],
    ["targetRef", "default", { targetRef: { kind: "Service", name: "reviews" } }, authz, "workload"],
    [
      "targetRefs",
      "default",
      {
        targetRefs: [
          { kind: "Service", name: "x" },
          { kind: "Service", name: "reviews" },
        ],
      },
      authz,
      "workload",
    ],
    ["targetRef other name", "default", { targetRef: { kind: "Service", name: "ratings" } }, authz, null],
    ["targetRef other kind", "default", { targetRef: { kind: "Gateway", name: "reviews" } }, authz, null],
    [
      "targetRef cross-namespace",
      "prod",
      { targetRef: { kind: "Service", name: "reviews", namespace: "default" } },
      authz,
      null,
    ],
    [
      "root targetRef does not reach other namespaces",
      "istio-system",
      { targetRef: { kind: "Service", name: "reviews" } },
      authz,
      null,
    ],
  ])("%s", (_label, ns, scope, options, expected) => expect(scopeLevel(ns, scope, reviews, options)).toBe(expected));

  it("honours a custom root namespace", () => {
    expect(scopeLevel("mesh-root", {}, reviews, { rootSelector: "ignored", rootNamespace: "mesh-root" })).toBe("mesh");
    expect(scopeLevel("istio-system", {}, reviews, { rootSelector: "ignored", rootNamespace: "mesh-root" })).toBeNull();
  });
});
