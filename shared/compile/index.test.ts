import { describe, expect, it } from "vitest";
import { SnapshotModel, parseSnapshot } from "../model/snapshot";
import { ISTIO_DEFAULT_RETRY } from "../model/resilience";
import { loadResources } from "../validate/testing/load";
import * as B from "../validate/testing/bookinfo";
import * as G from "../validate/testing/gamma";
import { compileSnapshot } from "./index";

const bookinfo = loadResources(
  B.BOOKINFO_SERVICES,
  G.REVIEWS_VERSION_SERVICES,
  B.DESTINATION_RULE_ALL,
  B.VIRTUAL_SERVICE_REVIEWS_TEST_V2,
  B.VIRTUAL_SERVICE_RATINGS_TEST_DELAY,
);

describe("compileSnapshot", () => {
  it("produces a snapshot that passes SnapshotModel.parse unchanged for a Bookinfo set", () => {
    const snapshot = compileSnapshot(bookinfo, 7, "2024-06-01T12:00:00.000Z");
    expect(SnapshotModel.parse(snapshot)).toEqual(snapshot);
    expect(parseSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
    expect(snapshot).toMatchObject({ format: 2, revision: 7, generatedAt: "2024-06-01T12:00:00.000Z" });
    expect(Object.keys(snapshot.services)).toEqual([
      "default/details",
      "default/productpage",
      "default/ratings",
      "default/reviews",
      "default/reviews-v1",
      "default/reviews-v2",
      "default/reviews-v3",
    ]);
  });

  it("gives a Service without routes one default route to itself, with implicit app label and endpoint ids", () => {
    const details = compileSnapshot(bookinfo, 1, "t").services["default/details"];
    expect(details).toEqual({
      name: "details",
      namespace: "default",
      labels: { app: "details" },
      endpoints: [{ id: "worker:details-v1", worker: "details-v1", weight: 1, labels: { version: "v1" } }],
      subsets: { v1: { version: "v1" }, v2: { version: "v2" } },
      routes: [{ id: "default", matches: [], backends: [{ service: "default/details", weight: 1 }], mirrors: [] }],
      routeSource: "default",
      policy: {
        resilience: { retryBudget: { percent: 20, minRetriesPerSecond: 10, windowMs: 10_000 }, subsets: {} },
        security: { peerAuthentication: {}, jwtRules: [], authorizationPolicies: [] },
      },
    });
  });

  it("keeps VirtualService order and adds no catch-all", () => {
    const reviews = compileSnapshot(bookinfo, 1, "t").services["default/reviews"];
    expect(reviews?.routeSource).toBe("VirtualService");
    expect(reviews?.routes.map((r) => r.id)).toEqual([
      "VirtualService/default/reviews#http0",
      "VirtualService/default/reviews#http1",
    ]);
  });

  it("routes a GAMMA service by its HTTPRoutes, merged", () => {
    const resources = loadResources(B.BOOKINFO_SERVICES, G.REVIEWS_VERSION_SERVICES, G.HTTPROUTE_REVIEWS_JASON);
    const reviews = compileSnapshot(resources, 1, "t").services["default/reviews"];
    expect(reviews?.routeSource).toBe("HTTPRoute");
    expect(reviews?.routes.map((r) => [r.id, r.backends.map((b) => b.service)])).toEqual([
      ["HTTPRoute/default/reviews#rule0.match0", ["default/reviews-v2"]],
      ["HTTPRoute/default/reviews#rule1.match0", ["default/reviews-v1"]],
    ]);
    expect(SnapshotModel.safeParse(compileSnapshot(resources, 1, "t")).success).toBe(true);
  });

  it("endpoint ids stay stable when endpoints are reordered, and are unique", () => {
    const [svc] = loadResources(`apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: api}
spec:
  endpoints:
  - {url: "https://a.example.com", weight: 3, zone: eu}
  - {url: "https://b.example.com"}
  - {url: "https://a.example.com"}`);
    const endpoints = compileSnapshot([svc!], 1, "t").services["default/api"]?.endpoints;
    expect(endpoints).toEqual([
      { id: "url:https://a.example.com", url: "https://a.example.com", weight: 3, zone: "eu", labels: {} },
      { id: "url:https://b.example.com", url: "https://b.example.com", weight: 1, labels: {} },
      { id: "url:https://a.example.com#2", url: "https://a.example.com", weight: 1, labels: {} },
    ]);
  });

  it("is pure: the same resources in any order give the same snapshot", () => {
    const a = compileSnapshot(bookinfo, 3, "t");
    const b = compileSnapshot([...bookinfo].reverse(), 3, "t");
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("compiles MeshConfig into mesh, with defaults when there is none", () => {
    expect(compileSnapshot([], 0, "t").mesh).toEqual({
      trustDomain: "cluster.local",
      allowedEndpointCidrs: [],
      resilience: {
        defaultRetry: {
          ...ISTIO_DEFAULT_RETRY,
          retryOn: [...ISTIO_DEFAULT_RETRY.retryOn],
          codes: [...ISTIO_DEFAULT_RETRY.codes],
        },
        retryBodyLimitBytes: 65_536,
      },
    });
    const mesh = compileSnapshot(
      loadResources(`apiVersion: flaremesh.dev/v1alpha1
kind: MeshConfig
metadata: {name: default}
spec: {trustDomain: example.org, defaultMtlsMode: STRICT, defaultTimeout: 15s, defaultHttpRetryPolicy: {attempts: 1, retryOn: "5xx"}, allowedEndpointCidrs: [10.0.0.0/8]}`),
      0,
      "t",
    ).mesh;
    expect(mesh).toEqual({
      trustDomain: "example.org",
      defaultTimeoutMs: 15_000,
      defaultMtlsMode: "STRICT",
      allowedEndpointCidrs: ["10.0.0.0/8"],
      resilience: {
        defaultTimeoutMs: 15_000,
        defaultRetry: { attempts: 1, retryOn: ["5xx"], codes: [], retryNonIdempotent: false },
        retryBodyLimitBytes: 65_536,
      },
    });
  });

  it("still yields a valid snapshot from an inconsistent set (dangling references dropped)", () => {
    const resources = loadResources(
      B.BOOKINFO_SERVICES,
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{kind: Service, name: ratings}]
  rules: [{backendRefs: [{name: gone}, {name: ratings}]}]`,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: v}
spec: {hosts: [details], http: [{route: [{destination: {host: gone}}]}]}`,
    );
    const snapshot = compileSnapshot(resources, 1, "t");
    expect(SnapshotModel.safeParse(snapshot).success).toBe(true);
    expect(snapshot.services["default/ratings"]?.routes[0]?.backends).toEqual([
      { service: "default/ratings", weight: 1 },
    ]);
    expect(snapshot.services["default/details"]?.routes[0]?.backends).toEqual([]);
  });
});
