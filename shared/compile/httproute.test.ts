import { describe, expect, it } from "vitest";
import type { HTTPRouteResource } from "../resources/registry";
import { ofKind } from "../resources/registry";
import { createdAt, loadResources } from "../validate/testing/load";
import { compileHttpRoutes as compileFor } from "./httproute";

const compileHttpRoutes = (list: HTTPRouteResource[]) => compileFor(list, "default/svc");

function routes(yaml: string): HTTPRouteResource[] {
  return ofKind(loadResources(yaml), "HTTPRoute");
}

const rule = (match: string) => `  - matches: [${match}]\n    backendRefs: [{name: b}]`;

function httpRoute(name: string, rules: string[]): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}}
spec:
  parentRefs: [{kind: Service, name: svc}]
  rules:
${rules.join("\n")}`;
}

describe("compileHttpRoutes: Gateway API precedence", () => {
  it("orders matches across rules: Exact, longest path, method, headers, query params", () => {
    const compiled = compileHttpRoutes(
      routes(
        httpRoute("r", [
          rule("{path: {type: PathPrefix, value: /}}"),
          rule("{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: '1'}]}"),
          rule("{path: {type: PathPrefix, value: /api}, queryParams: [{name: q, value: '1'}]}"),
          rule("{path: {type: PathPrefix, value: /api}, method: GET}"),
          rule("{path: {type: PathPrefix, value: /api/v1}}"),
          rule("{path: {type: Exact, value: /a}}"),
          rule("{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: '1'}, {name: x-b, value: '2'}]}"),
          rule("{path: {type: RegularExpression, value: '/api/v[0-9]+/items'}}"),
        ]),
      ),
    );
    expect(compiled.map((r) => r.id)).toEqual([
      "HTTPRoute/default/r#rule5.match0", // Exact /a
      "HTTPRoute/default/r#rule7.match0", // regex, 18 characters
      "HTTPRoute/default/r#rule4.match0", // /api/v1
      "HTTPRoute/default/r#rule3.match0", // /api + method
      "HTTPRoute/default/r#rule6.match0", // /api + 2 headers
      "HTTPRoute/default/r#rule1.match0", // /api + 1 header
      "HTTPRoute/default/r#rule2.match0", // /api + 1 query param
      "HTTPRoute/default/r#rule0.match0", // /
    ]);
  });

  it("emits one route per match, so matches of one rule can interleave with other rules", () => {
    const compiled = compileHttpRoutes(
      routes(
        httpRoute("r", [
          rule("{path: {value: /}}, {path: {type: Exact, value: /login}}"),
          rule("{path: {value: /static}}"),
        ]),
      ),
    );
    expect(compiled.map((r) => r.id)).toEqual([
      "HTTPRoute/default/r#rule0.match1",
      "HTTPRoute/default/r#rule1.match0",
      "HTTPRoute/default/r#rule0.match0",
    ]);
  });

  it("breaks ties by the oldest route, then namespace/name, then rule order", () => {
    const [a, b, c] = routes(
      [
        httpRoute("a", [rule("{path: {value: /x}}")]),
        httpRoute("b", [rule("{path: {value: /x}}"), rule("{path: {value: /x}}")]),
        httpRoute("c", [rule("{path: {value: /x}}")]),
      ].join("\n---\n"),
    );
    const compiled = compileHttpRoutes([
      createdAt(a!, "2024-03-01T00:00:00Z"),
      createdAt(b!, "2024-01-01T00:00:00Z"),
      c!,
    ]);
    expect(compiled.map((r) => r.id)).toEqual([
      "HTTPRoute/default/b#rule0.match0", // oldest
      "HTTPRoute/default/b#rule1.match0",
      "HTTPRoute/default/a#rule0.match0",
      "HTTPRoute/default/c#rule0.match0", // no creationTimestamp counts as newest
    ]);
    const sameAge = compileHttpRoutes([c!, a!]);
    expect(sameAge.map((r) => r.id)).toEqual(["HTTPRoute/default/a#rule0.match0", "HTTPRoute/default/c#rule0.match0"]);
  });

  it("treats a rule without matches, and a match without path, as PathPrefix /", () => {
    const compiled = compileHttpRoutes(
      routes(httpRoute("r", ["  - backendRefs: [{name: b}]", rule("{method: POST}")])),
    );
    expect(compiled.map((r) => [r.id, r.matches])).toEqual([
      [
        "HTTPRoute/default/r#rule1.match0",
        [{ path: { type: "PathPrefix", value: "/" }, method: "POST", headers: [], queryParams: [] }],
      ],
      [
        "HTTPRoute/default/r#rule0.match0",
        [{ path: { type: "PathPrefix", value: "/" }, headers: [], queryParams: [] }],
      ],
    ]);
  });
});

describe("compileHttpRoutes: rule contents", () => {
  it("translates matches, filters, backends, timeouts and retry", () => {
    const [route] = compileHttpRoutes(
      routes(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: svc}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}
      headers: [{name: X-User, value: jason}, {type: RegularExpression, name: x-v, value: "v[0-9]"}]
      queryParams: [{name: Debug, value: "1"}]
      method: GET
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: {set: [{name: x-a, value: "1"}], add: [{name: x-b, value: "2"}], remove: [x-c]}
    - type: ResponseHeaderModifier
      responseHeaderModifier: {add: [{name: x-served-by, value: mesh}]}
    - type: URLRewrite
      urlRewrite: {hostname: internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
    - type: RequestMirror
      requestMirror: {backendRef: {name: shadow}, fraction: {numerator: 1, denominator: 4}}
    - type: RequestMirror
      requestMirror: {backendRef: {name: audit, namespace: ops}}
    - type: CORS
      cors: {allowOrigins: ["https://app.example.com", "https://*.example.org", "*"], allowMethods: [GET], maxAge: 600, allowCredentials: true}
    backendRefs:
    - name: v1
    - name: v2
      weight: 3
      filters:
      - type: RequestHeaderModifier
        requestHeaderModifier: {set: [{name: x-canary, value: "true"}]}
    timeouts: {request: 10s, backendRequest: 2s}
    retry: {attempts: 3, codes: [502, 503], backoff: 100ms}`),
    );
    expect(route).toEqual({
      id: "HTTPRoute/shop/r#rule0.match0",
      matches: [
        {
          path: { type: "PathPrefix", value: "/api" },
          headers: [
            { name: "x-user", type: "Exact", value: "jason" },
            { name: "x-v", type: "RegularExpression", value: "v[0-9]" },
          ],
          queryParams: [{ name: "Debug", type: "Exact", value: "1" }],
          method: "GET",
        },
      ],
      backends: [
        { service: "shop/v1", weight: 1 },
        {
          service: "shop/v2",
          weight: 3,
          requestHeaders: { set: [{ name: "x-canary", value: "true" }], add: [], remove: [] },
        },
      ],
      requestHeaders: { set: [{ name: "x-a", value: "1" }], add: [{ name: "x-b", value: "2" }], remove: ["x-c"] },
      responseHeaders: { set: [], add: [{ name: "x-served-by", value: "mesh" }], remove: [] },
      rewrite: { hostname: "internal", path: { type: "ReplacePrefixMatch", value: "/v2" } },
      mirrors: [
        { service: "shop/shadow", percent: 25 },
        { service: "ops/audit", percent: 100 },
      ],
      cors: {
        allowOrigins: [
          { type: "Exact", value: "https://app.example.com" },
          { type: "RegularExpression", value: "^https:\\/\\/[^/]*\\.example\\.org$" },
          { type: "Prefix", value: "" },
        ],
        allowMethods: ["GET"],
        allowHeaders: [],
        exposeHeaders: [],
        maxAgeSeconds: 600,
        allowCredentials: true,
      },
      timeoutMs: 10_000,
      retry: {
        attempts: 3,
        retryOn: ["connect-failure", "reset"],
        codes: [502, 503],
        perTryTimeoutMs: 2000,
        backoffBaseMs: 100,
      },
    });
  });

  it.each([
    ["request only", "{request: 5s}", 5000],
    ["backendRequest only, no retry", "{backendRequest: 2s}", 2000],
    ["both, no retry: the tighter bound", "{request: 5s, backendRequest: 2s}", 2000],
    ["0s disables", "{request: 0s}", undefined],
  ])("timeouts: %s", (_name, timeouts, expected) => {
    const [route] = compileHttpRoutes(
      routes(httpRoute("r", [`  - timeouts: ${timeouts}\n    backendRefs: [{name: b}]`])),
    );
    expect(route?.timeoutMs).toBe(expected);
    expect(route?.retry).toBeUndefined();
  });

  it("translates a redirect with Gateway API's default status 302", () => {
    const [route] = compileHttpRoutes(
      routes(
        httpRoute("r", [
          "  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: example.com, port: 8443, path: {type: ReplaceFullPath, replaceFullPath: /new}}}]",
        ]),
      ),
    );
    expect(route?.redirect).toEqual({
      statusCode: 302,
      scheme: "https",
      hostname: "example.com",
      port: 8443,
      path: { type: "ReplaceFullPath", value: "/new" },
    });
    expect(route?.backends).toEqual([]);
  });

  it("sends a rule without backendRefs to the parent Service (GAMMA terse form)", () => {
    const [route] = compileHttpRoutes(
      routes(
        httpRoute("r", [
          "  - filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-a, value: '1'}]}}]",
        ]),
      ),
    );
    expect(route?.backends).toEqual([{ service: "default/svc", weight: 1 }]);
  });
});
