import { describe, expect, it } from "vitest";
import { ofKind } from "../resources/registry";
import { loadResources } from "../validate/testing/load";
import * as B from "../validate/testing/bookinfo";
import { compileVirtualService } from "./virtualservice";

const serviceKeys = new Set([
  "default/productpage",
  "default/details",
  "default/reviews",
  "default/ratings",
  "default/shadow",
  "prod/reviews",
]);

function compile(yaml: string) {
  const [vs] = ofKind(loadResources(yaml), "VirtualService");
  if (vs === undefined) throw new Error("no VirtualService in fixture");
  return compileVirtualService(vs, serviceKeys);
}

function vs(http: string, name = "reviews"): string {
  return `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: [reviews]
  http:
${http}`;
}

describe("compileVirtualService: Bookinfo", () => {
  it("virtual-service-all-v1: everything to subset v1", () => {
    const [, reviews] = ofKind(loadResources(B.VIRTUAL_SERVICE_ALL_V1), "VirtualService");
    expect(compileVirtualService(reviews!, serviceKeys)).toEqual([
      {
        id: "VirtualService/default/reviews#http0",
        matches: [],
        backends: [{ service: "default/reviews", subset: "v1", weight: 100 }],
        mirrors: [],
      },
    ]);
  });

  it("virtual-service-reviews-test-v2: jason to v2 first, then everyone to v1 (list order kept)", () => {
    expect(compile(B.VIRTUAL_SERVICE_REVIEWS_TEST_V2)).toEqual([
      {
        id: "VirtualService/default/reviews#http0",
        matches: [{ headers: [{ name: "end-user", type: "Exact", value: "jason" }], queryParams: [] }],
        backends: [{ service: "default/reviews", subset: "v2", weight: 100 }],
        mirrors: [],
      },
      {
        id: "VirtualService/default/reviews#http1",
        matches: [],
        backends: [{ service: "default/reviews", subset: "v1", weight: 100 }],
        mirrors: [],
      },
    ]);
  });

  it("virtual-service-reviews-50-v3: weighted split", () => {
    expect(compile(B.VIRTUAL_SERVICE_REVIEWS_50_V3)[0]?.backends).toEqual([
      { service: "default/reviews", subset: "v1", weight: 50 },
      { service: "default/reviews", subset: "v3", weight: 50 },
    ]);
  });

  it("virtual-service-ratings-test-delay: 7 s delay for jason", () => {
    const [jason, rest] = compile(B.VIRTUAL_SERVICE_RATINGS_TEST_DELAY);
    expect(jason?.fault).toEqual({ delay: { ms: 7000, percent: 100 } });
    expect(jason?.backends).toEqual([{ service: "default/ratings", subset: "v1", weight: 100 }]);
    expect(rest?.fault).toBeUndefined();
  });

  it("virtual-service-ratings-test-abort: HTTP 500 for jason", () => {
    expect(compile(B.VIRTUAL_SERVICE_RATINGS_TEST_ABORT)[0]?.fault).toEqual({ abort: { status: 500, percent: 100 } });
  });
});

describe("compileVirtualService: fields", () => {
  it("translates every kind of match, OR-ed in order", () => {
    const [route] = compile(
      vs(`  - name: api
    match:
    - uri: {prefix: /api}
      ignoreUriCase: true
      method: {exact: POST}
      authority: {regex: "api\\\\..*"}
      headers: {X-Debug: {}, x-user: {prefix: j}}
      withoutHeaders: {x-internal: {exact: "1"}}
      queryParams: {Version: {regex: "v[12]"}}
    - uri: {exact: /health}
    - uri: {regex: "/items/[0-9]+"}
    route: [{destination: {host: reviews}}]`),
    );
    expect(route?.id).toBe("VirtualService/default/reviews#api");
    expect(route?.matches).toEqual([
      {
        path: { type: "Prefix", value: "/api", ignoreCase: true },
        method: "POST",
        authority: { type: "RegularExpression", value: "api\\..*" },
        headers: [
          { name: "x-debug", type: "Present", value: "" },
          { name: "x-user", type: "Prefix", value: "j" },
          { name: "x-internal", type: "Exact", value: "1", invert: true },
        ],
        queryParams: [{ name: "Version", type: "RegularExpression", value: "v[12]" }],
      },
      { path: { type: "Exact", value: "/health" }, headers: [], queryParams: [] },
      { path: { type: "RegularExpression", value: "/items/[0-9]+" }, headers: [], queryParams: [] },
    ]);
  });

  it.each([
    ["one destination without weight gets 100", "[{destination: {host: reviews}}]", [100]],
    [
      "missing weights among several are 0",
      "[{destination: {host: reviews, subset: v1}, weight: 80}, {destination: {host: reviews, subset: v2}}]",
      [80, 0],
    ],
    [
      "FQDN and name.namespace hosts resolve",
      "[{destination: {host: reviews.prod.svc.cluster.local}, weight: 1}, {destination: {host: reviews.default}, weight: 1}]",
      [1, 1],
    ],
  ])("weights: %s", (_name, route, weights) => {
    expect(compile(vs(`  - route: ${route}`))[0]?.backends.map((b) => b.weight)).toEqual(weights);
  });

  it("translates redirect (default 301), rewrite, timeout, retries, mirror, headers, CORS", () => {
    const [redirect, rewrite] = compile(
      vs(`  - match: [{uri: {exact: /old}}]
    redirect: {uri: /new, authority: new.example.com, scheme: https, port: 8443}
  - match: [{uri: {prefix: /v1/}}]
    rewrite: {uri: /v2/, authority: reviews-internal}
    timeout: 1.5s
    retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "gateway-error,connect-failure,503"}
    mirror: {host: shadow}
    mirrorPercentage: {value: 12.5}
    headers:
      request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}
      response: {remove: [server]}
    corsPolicy:
      allowOrigins: [{exact: "https://a.example"}, {regex: "https://.*\\\\.b\\\\.example"}]
      allowMethods: [GET, POST]
      allowHeaders: [authorization]
      exposeHeaders: [x-trace]
      maxAge: 24h
      allowCredentials: false
    route:
    - destination: {host: reviews}
      headers: {request: {set: {x-route: r}}}`),
    );
    expect(redirect?.redirect).toEqual({
      statusCode: 301,
      path: { type: "ReplaceFullPath", value: "/new" },
      hostname: "new.example.com",
      scheme: "https",
      port: 8443,
    });
    expect(rewrite).toMatchObject({
      rewrite: { hostname: "reviews-internal", path: { type: "ReplacePrefixMatch", value: "/v2/" } },
      timeoutMs: 1500,
      retry: {
        attempts: 3,
        retryOn: ["gateway-error", "connect-failure", "retriable-status-codes"],
        codes: [503],
        perTryTimeoutMs: 500,
      },
      mirrors: [{ service: "default/shadow", percent: 12.5 }],
      requestHeaders: { set: [{ name: "x-a", value: "1" }], add: [{ name: "x-b", value: "2" }], remove: ["x-c"] },
      responseHeaders: { set: [], add: [], remove: ["server"] },
      cors: {
        allowOrigins: [
          { type: "Exact", value: "https://a.example" },
          { type: "RegularExpression", value: "https://.*\\.b\\.example" },
        ],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["authorization"],
        exposeHeaders: ["x-trace"],
        maxAgeSeconds: 86_400,
        allowCredentials: false,
      },
      backends: [
        {
          service: "default/reviews",
          weight: 100,
          requestHeaders: { set: [{ name: "x-route", value: "r" }], add: [], remove: [] },
        },
      ],
    });
  });

  it.each([
    ["exact match → full path", "[{uri: {exact: /a}}]", "{uri: /b}", { type: "ReplaceFullPath", value: "/b" }],
    [
      "no uri match → prefix (the empty prefix)",
      "[{headers: {x: {exact: y}}}]",
      "{uri: /b}",
      { type: "ReplacePrefixMatch", value: "/b" },
    ],
    [
      "regex rewrite keeps RE2 \\\\1 (the proxy translates it)",
      "[{uri: {regex: '/u/(.*)'}}]",
      "{uriRegexRewrite: {match: '/u/(.*)', rewrite: '/users/\\1'}}",
      { type: "RegexReplace", value: "/users/\\1", pattern: "/u/(.*)" },
    ],
  ])("rewrite: %s", (_name, match, rewrite, path) => {
    expect(
      compile(vs(`  - match: ${match}\n    rewrite: ${rewrite}\n    route: [{destination: {host: reviews}}]`))[0]
        ?.rewrite?.path,
    ).toEqual(path);
  });

  it.each([
    [
      "default retryOn",
      "{attempts: 2}",
      {
        attempts: 2,
        retryOn: ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"],
        codes: [503],
      },
    ],
    [
      "attempts 0 turns retries off",
      "{attempts: 0}",
      {
        attempts: 0,
        retryOn: ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"],
        codes: [503],
      },
    ],
    ["5xx only", "{attempts: 1, retryOn: 5xx}", { attempts: 1, retryOn: ["5xx"], codes: [] }],
  ])("retries: %s", (_name, retries, expected) => {
    expect(compile(vs(`  - retries: ${retries}\n    route: [{destination: {host: reviews}}]`))[0]?.retry).toEqual(
      expected,
    );
  });

  it("translates mirrors[], the older mirrorPercent, direct responses, and skips delegates", () => {
    const routes = compile(
      vs(`  - route: [{destination: {host: reviews}}]
    mirrors: [{destination: {host: shadow, subset: v2}, percentage: {value: 5}}, {destination: {host: shadow}}]
  - route: [{destination: {host: reviews}}]
    mirror: {host: shadow}
    mirror_percent: 30
  - match: [{uri: {exact: /teapot}}]
    directResponse: {status: 418, body: {string: "short and stout"}}
  - match: [{uri: {exact: /bytes}}]
    directResponse: {status: 200, body: {bytes: "aGVsbG8="}}
  - delegate: {name: other}`),
    );
    expect(routes.map((r) => r.id)).toEqual(
      ["#http0", "#http1", "#http2", "#http3"].map((s) => `VirtualService/default/reviews${s}`),
    );
    expect(routes[0]?.mirrors).toEqual([
      { service: "default/shadow", subset: "v2", percent: 5 },
      { service: "default/shadow", percent: 100 },
    ]);
    expect(routes[1]?.mirrors).toEqual([{ service: "default/shadow", percent: 30 }]);
    expect(routes[2]?.directResponse).toEqual({ status: 418, body: "short and stout" });
    expect(routes[3]?.directResponse).toEqual({ status: 200, body: "hello" });
  });

  it("uses percent (deprecated) when percentage is absent, and timeout 0s disables", () => {
    const [route] = compile(
      vs(
        `  - fault: {delay: {fixedDelay: 2s, percent: 40}}\n    timeout: 0s\n    route: [{destination: {host: reviews}}]`,
      ),
    );
    expect(route?.fault).toEqual({ delay: { ms: 2000, percent: 40 } });
    expect(route?.timeoutMs).toBeUndefined();
  });
});
