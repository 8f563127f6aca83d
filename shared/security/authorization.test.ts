// AuthorizationPolicy evaluation with Istio's semantics, on Istio's documented examples.
import { describe, expect, it } from "vitest";
import { AuthorizationPolicyModel, type AuthzRuleModel } from "../model/security";
import type { RequestAttributes } from "./attributes";
import { authorizeRequest, compileAuthorization, evaluateAuthorization } from "./authorization";
import { isSupportedConditionKey } from "./authz-rule";
import { toAuthorizationPolicyModel, type IstioAuthorizationPolicySpec } from "./from-istio";

const PRODUCTPAGE = "cluster.local/ns/default/sa/productpage";
const REVIEWS = "cluster.local/ns/default/sa/bookinfo-reviews";

function policy(name: string, spec: IstioAuthorizationPolicySpec, namespace = "default"): AuthorizationPolicyModel {
  return AuthorizationPolicyModel.parse(toAuthorizationPolicyModel({ namespace, name, spec }));
}

type RequestOverrides = Partial<RequestAttributes> & { headerMap?: Record<string, string> };

function req(over: RequestOverrides = {}): RequestAttributes {
  const { headerMap = {}, ...rest } = over;
  const headers = new Map(Object.entries(headerMap).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: "GET",
    path: "/productpage",
    host: "productpage.localhost:8787",
    port: 8787,
    headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null },
    ...rest,
  };
}

const jwt = (sub: string, claims: Record<string, unknown> = {}) => ({
  issuer: "testing@secure.istio.io",
  subject: sub,
  principal: `testing@secure.istio.io/${sub}`,
  audiences: ["bookinfo"],
  presenter: "web-client",
  claims: { iss: "testing@secure.istio.io", sub, ...claims },
});

describe("policy combination (Istio's evaluation order)", () => {
  const allowNothing = policy("allow-nothing", {});
  const denyAll = policy("deny-all", { action: "DENY", rules: [{}] });
  const allowAll = policy("allow-all", { rules: [{}] });
  const getOnly = policy("productpage-viewer", {
    selector: { matchLabels: { app: "productpage" } },
    action: "ALLOW",
    rules: [{ to: [{ operation: { methods: ["GET"] } }] }],
  });
  const audit = policy("audit-post", { action: "AUDIT", rules: [{ to: [{ operation: { methods: ["POST"] } }] }] });

  it.each<[string, AuthorizationPolicyModel[], Partial<RequestAttributes>, object]>([
    ["no policies: allowed", [], {}, { decision: "allow", reason: "no_policies" }],
    ["allow-nothing (spec: {}) denies everything", [allowNothing], {}, { decision: "deny", reason: "no_allow_match" }],
    [
      "deny-all (DENY, rules: [{}])",
      [denyAll],
      {},
      { decision: "deny", reason: "denied_by_policy", policy: "default/deny-all", rule: 0 },
    ],
    [
      "allow-all (rules: [{}])",
      [allowAll],
      {},
      { decision: "allow", reason: "allowed_by_policy", policy: "default/allow-all", rule: 0 },
    ],
    [
      "allow-nothing + productpage GET: GET allowed",
      [allowNothing, getOnly],
      {},
      { decision: "allow", policy: "default/productpage-viewer" },
    ],
    [
      "allow-nothing + productpage GET: POST denied",
      [allowNothing, getOnly],
      { method: "POST" },
      { decision: "deny", reason: "no_allow_match" },
    ],
    ["DENY wins over a matching ALLOW", [allowAll, denyAll], {}, { decision: "deny", policy: "default/deny-all" }],
    [
      "DENY without rules denies nothing",
      [policy("d", { action: "DENY" })],
      {},
      { decision: "allow", reason: "no_deny_match" },
    ],
    [
      "AUDIT only marks",
      [audit],
      { method: "POST" },
      { decision: "allow", audit: true, auditPolicy: "default/audit-post" },
    ],
    ["AUDIT mark survives a denial", [audit, allowNothing], { method: "POST" }, { decision: "deny", audit: true }],
    [
      "CUSTOM (no external authorizer) refuses what it matches",
      [policy("ext", { action: "CUSTOM", provider: { name: "opa" }, rules: [{}] })],
      {},
      { decision: "deny", reason: "custom_unsupported", policy: "default/ext" },
    ],
    [
      "CUSTOM that does not match leaves the request alone",
      [policy("ext", { action: "CUSTOM", rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] })],
      {},
      { decision: "allow" },
    ],
  ])("%s", (_label, policies, over, expected) => expect(authorizeRequest(policies, req(over))).toMatchObject(expected));

  it("names the first matching rule, and no AUDIT mark when none matched", () => {
    const p = policy("multi", {
      rules: [{ to: [{ operation: { paths: ["/x"] } }] }, { to: [{ operation: { paths: ["/productpage"] } }] }],
    });
    const d = evaluateAuthorization(compileAuthorization([p]), req());
    expect(d).toEqual({ decision: "allow", reason: "allowed_by_policy", policy: "default/multi", rule: 1 });
  });
});

describe("Bookinfo: reviews → ratings by principal", () => {
  const ratingsViewer = policy("ratings-viewer", {
    selector: { matchLabels: { app: "ratings" } },
    action: "ALLOW",
    rules: [{ from: [{ source: { principals: [REVIEWS] } }], to: [{ operation: { methods: ["GET"] } }] }],
  });
  it.each<[string, RequestOverrides, "allow" | "deny"]>([
    ["reviews GET", { sourcePrincipal: REVIEWS }, "allow"],
    ["reviews POST", { sourcePrincipal: REVIEWS, method: "POST" }, "deny"],
    ["productpage GET", { sourcePrincipal: PRODUCTPAGE }, "deny"],
    ["anonymous GET", {}, "deny"],
    ["spoofed header is not a principal", { headerMap: { "x-mesh-principal": REVIEWS } }, "deny"],
  ])("%s → %s", (_l, over, decision) => expect(authorizeRequest([ratingsViewer], req(over)).decision).toBe(decision));
});

// Each case: a single ALLOW rule and whether a request matches it.
const ruleCases: Array<[string, AuthzRuleModel | IstioAuthorizationPolicySpec["rules"], RequestOverrides, boolean]> = [
  [
    "principals wildcard prefix",
    [{ from: [{ source: { principals: ["cluster.local/ns/default/*"] } }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  [
    "principals *: any authenticated",
    [{ from: [{ source: { principals: ["*"] } }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  ["principals *: not anonymous", [{ from: [{ source: { principals: ["*"] } }] }], {}, false],
  [
    "notPrincipals: other caller passes",
    [{ from: [{ source: { notPrincipals: [REVIEWS] } }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  [
    "notPrincipals: named caller refused",
    [{ from: [{ source: { notPrincipals: [REVIEWS] } }] }],
    { sourcePrincipal: REVIEWS },
    false,
  ],
  ["notPrincipals *: only anonymous", [{ from: [{ source: { notPrincipals: ["*"] } }] }], {}, true],
  [
    "requestPrincipals *: JWT present",
    [{ from: [{ source: { requestPrincipals: ["*"] } }] }],
    { auth: jwt("alice") },
    true,
  ],
  ["requestPrincipals *: no JWT", [{ from: [{ source: { requestPrincipals: ["*"] } }] }], {}, false],
  [
    "requestPrincipals exact",
    [{ from: [{ source: { requestPrincipals: ["testing@secure.istio.io/alice"] } }] }],
    { auth: jwt("alice") },
    true,
  ],
  ["notRequestPrincipals *: anonymous", [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }], {}, true],
  ["namespaces", [{ from: [{ source: { namespaces: ["default"] } }] }], { sourcePrincipal: PRODUCTPAGE }, true],
  ["namespaces: other", [{ from: [{ source: { namespaces: ["prod"] } }] }], { sourcePrincipal: PRODUCTPAGE }, false],
  ["notNamespaces", [{ from: [{ source: { notNamespaces: ["prod"] } }] }], { sourcePrincipal: PRODUCTPAGE }, true],
  [
    "serviceAccounts sa (policy namespace)",
    [{ from: [{ source: { serviceAccounts: ["productpage"] } }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  [
    "serviceAccounts ns/sa",
    [{ from: [{ source: { serviceAccounts: ["default/productpage"] } }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  [
    "serviceAccounts wrong ns",
    [{ from: [{ source: { serviceAccounts: ["prod/productpage"] } }] }],
    { sourcePrincipal: PRODUCTPAGE },
    false,
  ],
  ["ipBlocks", [{ from: [{ source: { ipBlocks: ["10.0.0.0/8"] } }] }], { sourceIp: "10.1.2.3" }, true],
  [
    "ipBlocks mapped client",
    [{ from: [{ source: { ipBlocks: ["10.0.0.0/8"] } }] }],
    { sourceIp: "::ffff:10.1.2.3" },
    true,
  ],
  ["ipBlocks no IP", [{ from: [{ source: { ipBlocks: ["10.0.0.0/8"] } }] }], {}, false],
  ["notIpBlocks", [{ from: [{ source: { notIpBlocks: ["10.0.0.0/8"] } }] }], { sourceIp: "8.8.8.8" }, true],
  [
    "remoteIpBlocks falls back to source IP",
    [{ from: [{ source: { remoteIpBlocks: ["8.8.8.0/24"] } }] }],
    { sourceIp: "8.8.8.8" },
    true,
  ],
  [
    "remoteIpBlocks uses remote IP",
    [{ from: [{ source: { remoteIpBlocks: ["1.2.3.4"] } }] }],
    { sourceIp: "10.0.0.1", remoteIp: "1.2.3.4" },
    true,
  ],
  [
    "source fields AND-ed",
    [{ from: [{ source: { principals: [PRODUCTPAGE], ipBlocks: ["10.0.0.0/8"] } }] }],
    { sourcePrincipal: PRODUCTPAGE, sourceIp: "8.8.8.8" },
    false,
  ],
  [
    "sources OR-ed",
    [{ from: [{ source: { principals: [REVIEWS] } }, { source: { ipBlocks: ["8.8.8.8"] } }] }],
    { sourceIp: "8.8.8.8" },
    true,
  ],
  ["methods", [{ to: [{ operation: { methods: ["GET", "HEAD"] } }] }], { method: "HEAD" }, true],
  ["methods are case-sensitive", [{ to: [{ operation: { methods: ["GET"] } }] }], { method: "get" }, false],
  ["notMethods", [{ to: [{ operation: { notMethods: ["POST"] } }] }], {}, true],
  ["paths prefix", [{ to: [{ operation: { paths: ["/api/v1/*"] } }] }], { path: "/api/v1/products/0" }, true],
  ["paths suffix", [{ to: [{ operation: { paths: ["*.css"] } }] }], { path: "/static/a.css" }, true],
  ["notPaths: other path", [{ to: [{ operation: { notPaths: ["/healthz"] } }] }], {}, true],
  ["notPaths: excluded path", [{ to: [{ operation: { notPaths: ["/healthz"] } }] }], { path: "/healthz" }, false],
  [
    "path template",
    [{ to: [{ operation: { paths: ["/api/v1/products/{*}"] } }] }],
    { path: "/api/v1/products/0" },
    true,
  ],
  ["paths + methods AND-ed", [{ to: [{ operation: { paths: ["/productpage"], methods: ["POST"] } }] }], {}, false],
  ["operations OR-ed", [{ to: [{ operation: { paths: ["/x"] } }, { operation: { methods: ["GET"] } }] }], {}, true],
  ["hosts port-insensitive", [{ to: [{ operation: { hosts: ["productpage.localhost"] } }] }], {}, true],
  ["hosts case-insensitive", [{ to: [{ operation: { hosts: ["ProductPage.localhost"] } }] }], {}, true],
  ["notHosts", [{ to: [{ operation: { notHosts: ["*.internal"] } }] }], {}, true],
  ["ports", [{ to: [{ operation: { ports: ["8787"] } }] }], {}, true],
  ["ports mismatch", [{ to: [{ operation: { ports: ["80"] } }] }], {}, false],
  [
    "from × to × when all required",
    [
      {
        from: [{ source: { principals: [PRODUCTPAGE] } }],
        to: [{ operation: { methods: ["GET"] } }],
        when: [{ key: "request.headers[version]", values: ["v1"] }],
      },
    ],
    { sourcePrincipal: PRODUCTPAGE },
    false,
  ],
  // when
  [
    "when claims[iss]",
    [{ when: [{ key: "request.auth.claims[iss]", values: ["testing@secure.istio.io"] }] }],
    { auth: jwt("alice") },
    true,
  ],
  ["when claims without JWT", [{ when: [{ key: "request.auth.claims[iss]", values: ["*"] }] }], {}, false],
  [
    "when list claim matches any element",
    [{ when: [{ key: "request.auth.claims[groups]", values: ["group1"] }] }],
    { auth: jwt("alice", { groups: ["group0", "group1"] }) },
    true,
  ],
  [
    "when nested claim",
    [{ when: [{ key: "request.auth.claims[realm_access][roles]", values: ["admin"] }] }],
    { auth: jwt("a", { realm_access: { roles: ["user", "admin"] } }) },
    true,
  ],
  [
    "when nested claim missing",
    [{ when: [{ key: "request.auth.claims[realm_access][roles]", values: ["admin"] }] }],
    { auth: jwt("a", { realm_access: "admin" }) },
    false,
  ],
  [
    "when non-string claim never matches",
    [{ when: [{ key: "request.auth.claims[admin]", values: ["true"] }] }],
    { auth: jwt("a", { admin: true }) },
    false,
  ],
  [
    "when notValues on claim",
    [{ when: [{ key: "request.auth.claims[groups]", notValues: ["banned"] }] }],
    { auth: jwt("a", { groups: ["ok"] }) },
    true,
  ],
  [
    "when request.auth.principal",
    [{ when: [{ key: "request.auth.principal", values: ["testing@secure.istio.io/alice"] }] }],
    { auth: jwt("alice") },
    true,
  ],
  [
    "when request.auth.audiences",
    [{ when: [{ key: "request.auth.audiences", values: ["bookinfo"] }] }],
    { auth: jwt("alice") },
    true,
  ],
  [
    "when request.auth.presenter",
    [{ when: [{ key: "request.auth.presenter", values: ["web-*"] }] }],
    { auth: jwt("alice") },
    true,
  ],
  [
    "when header exact",
    [{ when: [{ key: "request.headers[End-User]", values: ["jason"] }] }],
    { headerMap: { "end-user": "jason" } },
    true,
  ],
  [
    "when header prefix",
    [{ when: [{ key: "request.headers[User-Agent]", values: ["Mozilla/*"] }] }],
    { headerMap: { "user-agent": "Mozilla/5.0" } },
    true,
  ],
  [
    "when header * = present",
    [{ when: [{ key: "request.headers[x-token]", values: ["*"] }] }],
    { headerMap: { "x-token": "" } },
    true,
  ],
  ["when header absent", [{ when: [{ key: "request.headers[x-token]", values: ["*"] }] }], {}, false],
  [
    "when header repeated values",
    [{ when: [{ key: "request.headers[x-role]", values: ["admin"] }] }],
    { headerMap: { "x-role": "user, admin" } },
    true,
  ],
  ["when source.ip CIDR", [{ when: [{ key: "source.ip", values: ["10.0.0.0/8"] }] }], { sourceIp: "10.9.9.9" }, true],
  [
    "when remote.ip notValues",
    [{ when: [{ key: "remote.ip", notValues: ["10.0.0.0/8"] }] }],
    { sourceIp: "10.9.9.9" },
    false,
  ],
  [
    "when source.namespace",
    [{ when: [{ key: "source.namespace", values: ["default"] }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  [
    "when source.principal",
    [{ when: [{ key: "source.principal", values: [PRODUCTPAGE] }] }],
    { sourcePrincipal: PRODUCTPAGE },
    true,
  ],
  ["when destination.port", [{ when: [{ key: "destination.port", values: ["8787"] }] }], {}, true],
  [
    "when connection.sni",
    [{ when: [{ key: "connection.sni", values: ["*.localhost"] }] }],
    { sni: "productpage.localhost" },
    true,
  ],
  [
    "when conditions AND-ed",
    [
      {
        when: [
          { key: "source.ip", values: ["10.0.0.0/8"] },
          { key: "request.headers[x]", values: ["1"] },
        ],
      },
    ],
    { sourceIp: "10.0.0.1" },
    false,
  ],
];

describe("rule matching (single ALLOW policy)", () => {
  it.each(ruleCases)("%s → %s", (_label, rules, over, matches) => {
    const p = policy("p", { rules: rules as IstioAuthorizationPolicySpec["rules"] });
    expect(authorizeRequest([p], req(over)).decision).toBe(matches ? "allow" : "deny");
  });
});

describe("what flaremesh does not understand fails closed", () => {
  const unknownWhen = [{ when: [{ key: "experimental.envoy.filters.network.foo[bar]", values: ["x"] }] }];
  const badCidr = [{ from: [{ source: { ipBlocks: ["not-a-cidr"] } }] }];
  const badNotCidr = [{ from: [{ source: { notIpBlocks: ["10.0.0.0/99"] } }] }];
  const badTemplate = [{ to: [{ operation: { paths: ["/a{*}"] } }] }];
  const emptySource = [{ from: [{ source: {} }] }];
  const noValues = [{ when: [{ key: "source.ip" }] }];
  it.each([
    ["unknown when key", unknownWhen],
    ["invalid ipBlocks", badCidr],
    ["invalid notIpBlocks", badNotCidr],
    ["invalid path template", badTemplate],
    ["empty source", emptySource],
    ["condition without values", noValues],
  ])("%s: never grants in ALLOW, still refuses in DENY", (_label, rules) => {
    const allow = policy("a", { rules: rules as IstioAuthorizationPolicySpec["rules"] });
    const deny = policy("d", { action: "DENY", rules: rules as IstioAuthorizationPolicySpec["rules"] });
    expect(authorizeRequest([allow], req({ sourceIp: "8.8.8.8" })).decision).toBe("deny");
    expect(authorizeRequest([deny], req({ sourceIp: "8.8.8.8" }))).toMatchObject({
      decision: "deny",
      policy: "default/d",
    });
  });

  it("a DENY with an unknown condition still only applies where its other conditions hold", () => {
    const deny = policy("d", {
      action: "DENY",
      rules: [{ to: [{ operation: { paths: ["/admin"] } }], when: unknownWhen[0]!.when }],
    });
    expect(authorizeRequest([deny], req()).decision).toBe("allow");
    expect(authorizeRequest([deny], req({ path: "/admin" })).decision).toBe("deny");
  });
});

describe("DENY cannot be side-stepped", () => {
  const denyAdmin = policy("deny-admin", {
    action: "DENY",
    rules: [{ to: [{ operation: { hosts: ["admin.localhost"], paths: ["/admin/*"] } }] }],
  });
  it.each([
    ["exact host", "admin.localhost", "/admin/x"],
    ["upper-case host", "ADMIN.localhost", "/admin/x"],
    ["host with port", "admin.localhost:443", "/admin/x"],
  ])("%s", (_l, host, path) => expect(authorizeRequest([denyAdmin], req({ host, path })).decision).toBe("deny"));

  it("denies a mapped IPv6 spelling of a blocked IPv4 client", () => {
    const denyNet = policy("deny-net", {
      action: "DENY",
      rules: [{ from: [{ source: { ipBlocks: ["203.0.113.0/24"] } }] }],
    });
    expect(authorizeRequest([denyNet], req({ sourceIp: "::ffff:203.0.113.7" })).decision).toBe("deny");
  });
});

describe("isSupportedConditionKey", () => {
  it.each([
    ["request.auth.claims[iss]", true],
    ["request.auth.claims[a][b]", true],
    ["request.headers[User-Agent]", true],
    ["source.ip", true],
    ["remote.ip", true],
    ["source.serviceAccount", true],
    ["destination.port", true],
    ["connection.sni", true],
    ["request.auth.claims[]", false],
    ["request.auth.claims", false],
    ["experimental.envoy.filters.network.mysql_proxy[db.table]", false],
    ["source.user", false],
  ])("%s → %s", (key, expected) => expect(isSupportedConditionKey(key)).toBe(expected));
});
