import { describe, expect, it } from "vitest";
import { loadResources } from "../validate/testing/load";
import { analyzeResources, affectedServices, resourcesAffecting } from "./index";
import type { Finding } from "./index";

const analyze = (yaml: string) => analyzeResources(loadResources(yaml));
const brief = (findings: Finding[]) => findings.map((f) => [f.severity, f.code, f.document, f.path]);

const vs = (http: string, name = "reviews") => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: [reviews]
  http:
${http}`;

const route = (rules: string, name = "reviews", extra = "") => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}${extra}}
spec:
  parentRefs: [{kind: Service, name: reviews}]
  rules:
${rules}`;

describe("weights that cannot be honoured", () => {
  it.each([
    [
      "several destinations, none weighted",
      "  - route: [{destination: {host: reviews, subset: v1}}, {destination: {host: reviews, subset: v2}}]",
      true,
    ],
    [
      "explicit zeros",
      "  - route: [{destination: {host: reviews}, weight: 0}, {destination: {host: ratings}, weight: 0}]",
      true,
    ],
    ["a lone destination weighted 0", "  - route: [{destination: {host: reviews}, weight: 0}]", true],
    ["a lone destination without weight", "  - route: [{destination: {host: reviews}}]", false],
    [
      "one positive weight",
      "  - route: [{destination: {host: reviews}, weight: 0}, {destination: {host: ratings}, weight: 1}]",
      false,
    ],
  ])("VirtualService: %s", (_name, http, flagged) => {
    const found = analyze(vs(http)).filter((f) => f.code === "weights-all-zero");
    expect(brief(found)).toEqual(
      flagged ? [["error", "weights-all-zero", "VirtualService/reviews", "spec.http[0].route"]] : [],
    );
  });

  it.each([
    ["all zero", "  - backendRefs: [{name: a, weight: 0}, {name: b, weight: 0}]", true],
    ["default weight 1", "  - backendRefs: [{name: a}, {name: b, weight: 0}]", false],
    ["no backendRefs (GAMMA: the parent itself)", "  - matches: [{path: {value: /x}}]", false],
  ])("HTTPRoute: %s", (_name, rules, flagged) => {
    const found = analyze(route(rules)).filter((f) => f.code === "weights-all-zero");
    expect(brief(found)).toEqual(
      flagged ? [["error", "weights-all-zero", "HTTPRoute/reviews", "spec.rules[0].backendRefs"]] : [],
    );
  });
});

describe("shadowed VirtualService entries (first match wins)", () => {
  const dest = "route: [{destination: {host: reviews}}]";
  it.each([
    [
      "after a catch-all entry",
      `  - ${dest}\n  - match: [{uri: {prefix: /api}}]\n    ${dest}`,
      "spec.http[1]",
      /spec.http\[0\] has no match/,
    ],
    [
      "after prefix /",
      `  - match: [{uri: {prefix: /}}]\n    ${dest}\n  - match: [{headers: {end-user: {exact: jason}}}]\n    ${dest}`,
      "spec.http[1]",
      /spec.http\[0\]/,
    ],
    [
      "a longer prefix after a shorter one",
      `  - match: [{uri: {prefix: /api}}]\n    ${dest}\n  - match: [{uri: {prefix: /api/v1}, method: {exact: GET}}]\n    ${dest}`,
      "spec.http[1]",
      /earlier entry/,
    ],
    [
      "an exact path under an earlier prefix",
      `  - match: [{uri: {prefix: /api}}]\n    ${dest}\n  - match: [{uri: {exact: /api/x}}]\n    ${dest}`,
      "spec.http[1]",
      /earlier entry/,
    ],
    [
      "a header match narrowed further",
      `  - match: [{headers: {end-user: {exact: jason}}}]\n    ${dest}\n  - match: [{headers: {end-user: {exact: jason}, x: {prefix: a}}}]\n    ${dest}`,
      "spec.http[1]",
      /earlier/,
    ],
    [
      "each match covered by a different earlier entry",
      `  - match: [{uri: {prefix: /a}}]\n    ${dest}\n  - match: [{uri: {prefix: /b}}]\n    ${dest}\n  - match: [{uri: {exact: /a/1}}, {uri: {prefix: /b/2}}]\n    ${dest}`,
      "spec.http[2]",
      /spec.http\[1\]/,
    ],
  ])("%s", (_name, http, path, message) => {
    const found = analyze(vs(http)).filter((f) => f.code === "route-shadowed");
    expect(brief(found)).toEqual([["warning", "route-shadowed", "VirtualService/reviews", path]]);
    expect(found[0]?.message).toMatch(message);
  });

  it.each([
    [
      "the Bookinfo test-v2 shape (header match, then default)",
      `  - match: [{headers: {end-user: {exact: jason}}}]\n    ${dest}\n  - ${dest}`,
    ],
    [
      "a case-sensitive prefix does not cover ignoreUriCase",
      `  - match: [{uri: {prefix: /api}}]\n    ${dest}\n  - match: [{uri: {prefix: /api/x}, ignoreUriCase: true}]\n    ${dest}`,
    ],
    [
      "different methods",
      `  - match: [{method: {exact: GET}}]\n    ${dest}\n  - match: [{method: {exact: POST}}]\n    ${dest}`,
    ],
    [
      "regex is not judged unless identical",
      `  - match: [{uri: {regex: "/a.*"}}]\n    ${dest}\n  - match: [{uri: {exact: /ab}}]\n    ${dest}`,
    ],
    [
      "an earlier match on a field flaremesh ignores is not judged",
      `  - match: [{port: 9080}]\n    ${dest}\n  - match: [{uri: {exact: /ab}}]\n    ${dest}`,
    ],
    [
      "only one of two matches covered",
      `  - match: [{uri: {prefix: /a}}]\n    ${dest}\n  - match: [{uri: {exact: /a/1}}, {uri: {prefix: /c}}]\n    ${dest}`,
    ],
  ])("not flagged: %s", (_name, http) => {
    expect(analyze(vs(http)).filter((f) => f.code === "route-shadowed")).toEqual([]);
  });
});

describe("shadowed HTTPRoute matches (Gateway API precedence)", () => {
  it("a rule whose match repeats an earlier rule's", () => {
    const found = analyze(
      route(
        "  - matches: [{path: {type: PathPrefix, value: /api}}]\n    backendRefs: [{name: a}]\n  - matches: [{path: {value: /api}}]\n    backendRefs: [{name: b}]",
      ),
    );
    expect(brief(found)).toEqual([["warning", "route-shadowed", "HTTPRoute/reviews", "spec.rules[1]"]]);
    expect(found[0]?.message).toMatch(/identical to spec.rules\[0\]/);
  });

  it("two rules without matches: the second never gets traffic", () => {
    expect(brief(analyze(route("  - backendRefs: [{name: a}]\n  - backendRefs: [{name: b}]")))).toEqual([
      ["warning", "route-shadowed", "HTTPRoute/reviews", "spec.rules[1]"],
    ]);
  });

  it("across HTTPRoutes on the same Service, the older route wins", () => {
    const older = route("  - backendRefs: [{name: a}]", "old", ", creationTimestamp: '2024-01-01T00:00:00Z'");
    const newer = route(
      "  - matches: [{path: {type: PathPrefix, value: /}}]\n    backendRefs: [{name: b}]",
      "new",
      ", creationTimestamp: '2025-01-01T00:00:00Z'",
    );
    const found = analyze(`${newer}\n---\n${older}`);
    expect(brief(found)).toEqual([["warning", "route-shadowed", "HTTPRoute/new", "spec.rules[0]"]]);
    expect(found[0]?.message).toContain("of HTTPRoute default/old");
  });

  it.each([
    [
      "headers in a different order are the same match",
      false,
      "[{name: a, value: '1'}, {name: B, value: '2'}]",
      "[{name: b, value: '2'}, {name: a, value: '1'}]",
    ],
    ["different header values", true, "[{name: a, value: '1'}]", "[{name: a, value: '2'}]"],
  ])("%s", (_name, distinct, h1, h2) => {
    const found = analyze(
      route(
        `  - matches: [{headers: ${h1}}]\n    backendRefs: [{name: a}]\n  - matches: [{headers: ${h2}}]\n    backendRefs: [{name: b}]`,
      ),
    );
    expect(found.length).toBe(distinct ? 0 : 1);
  });

  it("a longer prefix after a shorter one is not shadowed (longest prefix wins)", () => {
    const rules =
      "  - matches: [{path: {value: /a}}]\n    backendRefs: [{name: a}]\n  - matches: [{path: {value: /a/b}}]\n    backendRefs: [{name: b}]";
    expect(analyze(route(rules))).toEqual([]);
  });
});

describe("authorization policies that deny everything by accident", () => {
  const policy = (ns: string, spec: string) =>
    `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: ${ns}}\nspec: ${spec}`;
  it.each([
    ["mesh-wide ALLOW without rules", policy("istio-system", "{}"), "authz-allow-nothing", "spec"],
    [
      "mesh-wide ALLOW with empty rules",
      policy("istio-system", "{action: ALLOW, rules: []}"),
      "authz-allow-nothing",
      "spec.rules",
    ],
    ["DENY with an empty rule", policy("default", "{action: DENY, rules: [{}]}"), "authz-deny-all", "spec.rules[0]"],
    [
      "DENY with empty from/to",
      policy("default", "{action: DENY, rules: [{from: [{source: {}}], to: [{operation: {}}]}]}"),
      "authz-deny-all",
      "spec.rules[0]",
    ],
  ])("%s", (_name, yaml, code, path) => {
    expect(brief(analyze(yaml))).toEqual([["warning", code, "AuthorizationPolicy/p", path]]);
  });

  it.each([
    ["namespace allow-nothing (Istio's documented deny-all)", policy("default", "{}")],
    ["DENY with a path", policy("default", "{action: DENY, rules: [{to: [{operation: {paths: [/admin]}}]}]}")],
    ["DENY without rules (matches nothing)", policy("default", "{action: DENY}")],
    ["ALLOW with rules", policy("istio-system", "{rules: [{from: [{source: {principals: [a]}}]}]}")],
    ["mesh-wide ALLOW with a selector", policy("istio-system", "{selector: {matchLabels: {app: x}}}")],
  ])("not flagged: %s", (_name, yaml) => {
    expect(analyze(yaml)).toEqual([]);
  });
});

describe("HTTPRoute/VirtualService conflicts from the files alone", () => {
  it("names the VirtualService host", () => {
    const found = analyze(
      `${vs("  - route: [{destination: {host: reviews}}]")}\n---\n${route("  - backendRefs: [{name: reviews-v1}]")}`,
    );
    expect(brief(found)).toEqual([["error", "route-conflict", "VirtualService/reviews", "spec.hosts[0]"]]);
    expect(found[0]?.message).toContain("HTTPRoute default/reviews");
  });

  it("FQDN hosts resolve too", () => {
    const other = vs("  - route: [{destination: {host: reviews}}]").replace(
      "hosts: [reviews]",
      "hosts: [reviews.default.svc.cluster.local]",
    );
    expect(analyze(`${other}\n---\n${route("  - backendRefs: [{name: x}]")}`).map((f) => f.code)).toEqual([
      "route-conflict",
    ]);
  });
});

describe("affectedServices / resourcesAffecting", () => {
  const all = loadResources(`
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: reviews, labels: {tier: backend}}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: ratings}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: other, namespace: prod}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: backend-only}
spec: {selector: {matchLabels: {tier: backend}}, rules: [{}]}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
${vs("  - route: [{destination: {host: reviews, subset: v1}}]\n    mirror: {host: ratings}")}
`);
  const find = (name: string) => all.find((r) => r.metadata.name === name)!;

  it.each([
    ["reviews", [["default/reviews", "itself"]]],
    ["backend-only", [["default/reviews", "policy (selector)"]]],
    [
      "default",
      [
        ["default/ratings", "policy (mesh-wide)"],
        ["default/reviews", "policy (mesh-wide)"],
        ["prod/other", "policy (mesh-wide)"],
      ],
    ],
  ])("%s", (name, expected) => {
    expect(affectedServices(find(name), all).map((e) => [e.service, e.role])).toEqual(expected);
  });

  it("a VirtualService: its host, destinations and mirror", () => {
    const vsResource = all.find((r) => r.kind === "VirtualService")!;
    expect(affectedServices(vsResource, all).map((e) => [e.service, e.role])).toEqual([
      ["default/reviews", "routes (host)"],
      ["default/reviews", "destination"],
      ["default/ratings", "mirror"],
    ]);
  });

  it("what acts on a Service", () => {
    expect(resourcesAffecting("default/reviews", all).map((e) => [e.resource.kind, e.roles])).toEqual([
      ["AuthorizationPolicy", ["policy (selector)"]],
      ["PeerAuthentication", ["policy (mesh-wide)"]],
      ["VirtualService", ["routes (host)", "destination"]],
    ]);
  });
});
