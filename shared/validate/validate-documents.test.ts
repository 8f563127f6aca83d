import { describe, expect, it } from "vitest";
import { validateDocuments } from "./validate-documents";
import { parseDocuments } from "./parse-documents";
import {
  expectRejection,
  FM,
  GW,
  NET,
  SEC,
  doc,
  svc,
  route,
  vs,
  dest,
  dr,
  tp,
  sink,
  problems,
} from "./testing/documents";
import type { Rejection } from "./testing/documents";
import * as B from "./testing/bookinfo";
import * as G from "./testing/gamma";

const ENVELOPE: Rejection[] = [
  // envelope
  [
    "unknown kind",
    doc("gateway.networking.k8s.io/v1", "Gateway", "gw", {}),
    "Gateway/gw",
    "kind",
    /unknown kind "Gateway"/,
  ],
  ["kind in the wrong case", doc(GW, "httproute", "r", {}), "httproute/r", "kind", /did you mean HTTPRoute/],
  [
    "apiVersion the kind is not served by",
    doc("networking.istio.io/v2", "VirtualService", "v", {}),
    "VirtualService/v",
    "apiVersion",
    /networking\.istio\.io\/v1/,
  ],
  ["missing apiVersion", { kind: "Service", metadata: { name: "a" } }, "Service/a", "apiVersion", /required/],
  ["missing metadata.name", { apiVersion: FM, kind: "Service", metadata: {} }, "#0", "metadata.name", /required/],
  ["name that is not DNS-1123", svc({}, "Bad_Name"), "Service/Bad_Name", "metadata.name", /DNS-1123/],
  ["Service name with a dot", svc({}, "a.b"), "Service/a.b", "metadata.name", /DNS-1123 label/],
  [
    "metadata noise",
    { ...svc({}), metadata: { name: "reviews", managedFields: [] } },
    "Service/reviews",
    "metadata.managedFields",
    /unknown field/,
  ],
  [
    "bad namespace",
    { ...svc({}), metadata: { name: "reviews", namespace: "Prod" } },
    "Service/reviews",
    "metadata.namespace",
    /DNS-1123/,
  ],
  ["unknown top-level field", { ...svc({}), specs: {} }, "Service/reviews", "specs", /unknown field "specs"/],
  [
    "MeshConfig not named default",
    doc(FM, "MeshConfig", "mesh", {}),
    "MeshConfig/mesh",
    "metadata.name",
    /must be named "default"/,
  ],
  [
    "required spec missing",
    { apiVersion: NET, kind: "VirtualService", metadata: { name: "v" } },
    "VirtualService/v",
    "spec",
    /required/,
  ],
];

describe("validateDocuments: envelope rejections name document and path", () => {
  it.each(ENVELOPE)("%s", (_name, document, label, path, message) => expectRejection(document, label, path, message));
});

describe("validateDocuments: requests", () => {
  it("reports every problem of every document together, in request order", () => {
    const found = problems([
      svc({ endpoints: [{ worker: "ok" }] }, "a"),
      svc({ endpoints: [{ url: "nope" }] }, "b"),
      { kind: "Service" },
    ]);
    expect(found).toEqual([
      { document: "Service/b", path: "spec.endpoints[0].url", message: "must be an absolute http(s) URL" },
      { document: "#2", path: "apiVersion", message: "is required" },
    ]);
  });

  it("refuses the same kind, namespace and name twice in one request", () => {
    const found = problems([svc({}, "a"), svc({}, "b"), svc({}, "a")]);
    expect(found).toEqual([
      {
        document: "Service/a",
        path: "metadata.name",
        message: "duplicate: Service/default/a also appears as document #0 of this request",
      },
    ]);
  });

  it("allows the same name in different namespaces or kinds", () => {
    const result = validateDocuments([
      svc({}, "a"),
      { ...svc({}, "a"), metadata: { name: "a", namespace: "prod" } },
      doc(NET, "DestinationRule", "a", { host: "a" }),
    ]);
    expect(result.ok).toBe(true);
  });

  it("names a document without a readable name by its index", () => {
    expect(problems([svc({}, "a"), "just text"])).toEqual([{ document: "#1", message: "expected a resource object" }]);
  });
});

describe("validateDocuments: accepted documents", () => {
  it("reads an empty spec (YAML null) as absent", () => {
    const result = validateDocuments(
      parseDocuments(
        "apiVersion: flaremesh.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: default}\nspec:\n",
        "yaml",
      ),
    );
    expect(result.ok && result.resources[0]?.spec).toEqual({});
  });

  it("accepts real-world metadata, fills the namespace and drops cluster-only fields", () => {
    const result = validateDocuments([
      {
        ...svc({ endpoints: [{ worker: "reviews-v1" }] }),
        metadata: {
          name: "reviews",
          labels: { app: "reviews" },
          annotations: { a: "b" },
          uid: "1234",
          generation: 3,
          resourceVersion: 17,
          creationTimestamp: null,
        },
        status: { observedGeneration: 3 },
      },
    ]);
    expect(result).toEqual({
      ok: true,
      resources: [
        {
          apiVersion: FM,
          kind: "Service",
          metadata: {
            name: "reviews",
            namespace: "default",
            labels: { app: "reviews" },
            annotations: { a: "b" },
            resourceVersion: "17",
          },
          spec: { endpoints: [{ worker: "reviews-v1" }] },
        },
      ],
      warnings: [
        {
          document: "Service/reviews",
          path: "status",
          message: "status is set by a cluster, not by users; it is ignored",
        },
      ],
    });
  });

  it.each(["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"])(
    "accepts VirtualService %s",
    (apiVersion) => {
      expect(validateDocuments([{ ...vs([{ route: [dest] }]), apiVersion }]).ok).toBe(true);
    },
  );

  it.each(["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"])(
    "accepts HTTPRoute %s",
    (apiVersion) => {
      expect(validateDocuments([{ ...route([{ backendRefs: [{ name: "a" }] }]), apiVersion }]).ok).toBe(true);
    },
  );

  it.each([
    ["Bookinfo services", B.BOOKINFO_SERVICES],
    ["destination-rule-all", B.DESTINATION_RULE_ALL],
    ["virtual-service-all-v1", B.VIRTUAL_SERVICE_ALL_V1],
    ["virtual-service-reviews-test-v2", B.VIRTUAL_SERVICE_REVIEWS_TEST_V2],
    ["virtual-service-reviews-50-v3", B.VIRTUAL_SERVICE_REVIEWS_50_V3],
    ["virtual-service-ratings-test-delay", B.VIRTUAL_SERVICE_RATINGS_TEST_DELAY],
    ["virtual-service-ratings-test-abort", B.VIRTUAL_SERVICE_RATINGS_TEST_ABORT],
    ["GAMMA route-reviews-90-10", G.HTTPROUTE_REVIEWS_90_10],
    ["GAMMA end-user routing", G.HTTPROUTE_REVIEWS_JASON],
  ])("accepts %s", (_name, yaml) => {
    const result = validateDocuments(parseDocuments(yaml, "yaml"));
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it("accepts every kind's full field set", () => {
    const result = validateDocuments([
      doc(
        SEC,
        "PeerAuthentication",
        "p",
        { selector: { matchLabels: { app: "x" } }, mtls: { mode: "STRICT" } },
        { namespace: "istio-system" },
      ),
      doc(SEC, "RequestAuthentication", "ra", {
        jwtRules: [
          {
            issuer: "https://idp.example",
            audiences: ["a"],
            jwksUri: "https://idp.example/jwks?v=1",
            fromHeaders: [{ name: "x-jwt", prefix: "Bearer " }],
            fromParams: ["t"],
            forwardOriginalToken: true,
            outputClaimToHeaders: [{ header: "x-user", claim: "sub" }],
          },
        ],
      }),
      doc(SEC, "AuthorizationPolicy", "a", {
        action: "ALLOW",
        rules: [
          {
            from: [{ source: { principals: ["cluster.local/ns/default/sa/productpage"], ipBlocks: ["10.0.0.0/8"] } }],
            to: [{ operation: { methods: ["GET"], paths: ["/reviews/*"] } }],
            when: [
              { key: "request.headers[end-user]", values: ["jason"] },
              { key: "request.auth.claims[groups]", values: ["admin"] },
            ],
          },
        ],
      }),
      tp({
        targetRef: { kind: "Service", name: "reviews" },
        loadBalancer: { type: "ConsistentHash", hash: { cookie: { name: "s", ttl: "1h" } } },
        circuitBreaker: { maxConcurrentRequests: 10, maxPendingRequests: 5 },
        outlierDetection: { consecutive5xxErrors: 3, interval: "5s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
        retry: { attempts: 2, retryOn: "5xx,reset", perTryTimeout: "500ms", backoff: "25ms" },
        retryBudget: { percent: 20, minRetriesPerSecond: 10 },
        timeouts: { request: "3s", perTry: "1s" },
        fault: { delay: { fixedDelay: "1s", percentage: { value: 5 } }, abort: { httpStatus: 503, percentage: 1 } },
        rateLimit: {
          local: { requestsPerUnit: 100, unit: "second", burst: 20 },
          global: { requestsPerUnit: 1000, unit: "minute", key: { principal: true } },
        },
      }),
      sink({
        type: "syslog",
        endpoint: "tls://logs.example.com:6514",
        batch: { maxEntries: 100, maxDelay: "1s" },
        samplingPercent: 10,
      }),
      doc(FM, "MeshConfig", "default", {
        trustDomain: "example.org",
        defaultMtlsMode: "PERMISSIVE",
        defaultTimeout: "15s",
        defaultHttpRetryPolicy: { attempts: 3, retryOn: "5xx" },
        allowedEndpointCidrs: ["10.0.0.0/8", "fd00::/8", "127.0.0.1"],
      }),
    ]);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });
});

describe("validateDocuments: warnings for fields accepted but not acted upon", () => {
  it.each([
    [
      "VirtualService sourceLabels",
      vs([{ match: [{ sourceLabels: { app: "x" } }], route: [dest] }]),
      "VirtualService/v",
      "spec.http[0].match[0].sourceLabels",
    ],
    ["VirtualService exportTo", vs([{ route: [dest] }], { exportTo: ["."] }), "VirtualService/v", "spec.exportTo"],
    [
      "VirtualService gateway other than mesh",
      vs([{ route: [dest] }], { gateways: ["mesh", "bookinfo-gateway"] }),
      "VirtualService/v",
      "spec.gateways[1]",
    ],
    [
      "DestinationRule tls",
      dr({ trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } }),
      "DestinationRule/d",
      "spec.trafficPolicy.tls",
    ],
    [
      "DestinationRule portLevelSettings",
      dr({ trafficPolicy: { portLevelSettings: [{ port: { number: 9080 } }] } }),
      "DestinationRule/d",
      "spec.trafficPolicy.portLevelSettings",
    ],
    [
      "DestinationRule subset load balancer",
      dr({ subsets: [{ name: "v1", trafficPolicy: { loadBalancer: { simple: "RANDOM" } } }] }),
      "DestinationRule/d",
      "spec.subsets[0].trafficPolicy.loadBalancer",
    ],
    [
      "HTTPRoute backendRef port",
      route([{ backendRefs: [{ name: "a", port: 9080 }] }]),
      "HTTPRoute/r",
      "spec.rules[0].backendRefs[0].port",
    ],
    [
      "HTTPRoute Gateway parent",
      doc(GW, "HTTPRoute", "r", { parentRefs: [{ name: "gw" }], rules: [] }),
      "HTTPRoute/r",
      "spec.parentRefs[0]",
    ],
    [
      "AuthorizationPolicy CUSTOM",
      doc(SEC, "AuthorizationPolicy", "a", { action: "CUSTOM", provider: { name: "ext-authz" } }),
      "AuthorizationPolicy/a",
      "spec.action",
    ],
  ])("%s", (_name, document, label, path) => {
    const result = validateDocuments([document]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toContainEqual(expect.objectContaining({ document: label, path }));
  });

  it("keeps the spec exactly as written (no defaults added), so re-applying is a no-op", () => {
    const input = vs([{ match: [{ uri: { prefix: "/a" } }], route: [dest] }]);
    const result = validateDocuments([input]);
    expect(result.ok && result.resources[0]?.spec).toEqual(input.spec);
  });
});
