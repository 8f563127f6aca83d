import { describe, expect, it } from "vitest";
import { RESILIENCE_DEFAULTS } from "../model/resilience";
import { createdAt, loadResources } from "../validate/testing/load";
import * as B from "../validate/testing/bookinfo";
import { compileSnapshot } from "./index";
import { policySpecificity } from "./scope";

const OD = RESILIENCE_DEFAULTS.outlierDetection;

function reviewsPolicy(...yaml: string[]) {
  const snapshot = compileSnapshot(loadResources(B.BOOKINFO_SERVICES, ...yaml), 1, "2024-01-01T00:00:00Z");
  return snapshot.services["default/reviews"]!;
}

const dr = (trafficPolicy: string, subsets = "[]") => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec: {host: reviews, trafficPolicy: ${trafficPolicy}, subsets: ${subsets}}`;

const tp = (name: string, spec: string, namespace = "default") => `
apiVersion: flaremesh.dev/v1alpha1
kind: TrafficPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}`;

describe("DestinationRule → policy", () => {
  it.each([
    ["{loadBalancer: {simple: ROUND_ROBIN}}", { type: "RoundRobin" }],
    ["{loadBalancer: {simple: LEAST_REQUEST}}", { type: "LeastRequest" }],
    ["{loadBalancer: {simple: LEAST_CONN}}", { type: "LeastRequest" }],
    ["{loadBalancer: {simple: RANDOM}}", { type: "Random" }],
    [
      "{loadBalancer: {consistentHash: {httpHeaderName: X-User}}}",
      { type: "ConsistentHash", hash: { header: "x-user" } },
    ],
    [
      "{loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 0s, path: /}}}}",
      { type: "ConsistentHash", hash: { cookie: { name: "user", ttlSeconds: 0, path: "/" } } },
    ],
    [
      "{loadBalancer: {consistentHash: {httpQueryParameterName: uid}}}",
      { type: "ConsistentHash", hash: { queryParam: "uid" } },
    ],
    ["{loadBalancer: {consistentHash: {useSourceIp: true}}}", { type: "ConsistentHash", hash: { sourceIp: true } }],
    ["{loadBalancer: {simple: PASSTHROUGH}}", undefined],
  ])("loadBalancer %s", (policy, expected) => {
    expect(reviewsPolicy(dr(policy)).policy.loadBalancer).toEqual(expected);
  });

  it("maps the Istio circuit-breaking task (connectionPool + outlierDetection)", () => {
    const service = reviewsPolicy(
      dr(`{connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}},
          outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}}`),
    );
    expect(service.policy.resilience).toMatchObject({
      circuitBreaker: { maxConcurrentRequests: 1, maxPendingRequests: 1 },
      outlierDetection: {
        ...OD,
        consecutive5xxErrors: 1,
        intervalMs: 1000,
        baseEjectionTimeMs: 180_000,
        maxEjectionPercent: 100,
      },
    });
  });

  it("takes the tighter of maxConnections and http2MaxRequests, and fills outlier defaults", () => {
    const service = reviewsPolicy(
      dr(
        "{connectionPool: {tcp: {maxConnections: 100}, http: {http2MaxRequests: 10, maxRetries: 3}}, outlierDetection: {consecutiveErrors: 7}}",
      ),
    );
    expect(service.policy.resilience?.circuitBreaker).toEqual({ maxConcurrentRequests: 10, maxConcurrentRetries: 3 });
    expect(service.policy.resilience?.outlierDetection).toEqual({ ...OD, consecutiveGatewayErrors: 7 });
  });

  it("copies subsets and their limit overrides", () => {
    const service = reviewsPolicy(
      dr(
        "{}",
        "[{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}, trafficPolicy: {connectionPool: {http: {http2MaxRequests: 5}}}}]",
      ),
    );
    expect(service.subsets).toEqual({ v1: { version: "v1" }, v2: { version: "v2" } });
    expect(service.policy.resilience?.subsets).toEqual({ v2: { circuitBreaker: { maxConcurrentRequests: 5 } } });
  });
});

describe("TrafficPolicy → policy", () => {
  it("translates every field", () => {
    const service = reviewsPolicy(
      tp(
        "all",
        `{targetRef: {kind: Service, name: reviews},
          loadBalancer: {type: ConsistentHash, hash: {cookie: {name: s, ttl: 1h}}},
          circuitBreaker: {maxConcurrentRequests: 10, maxPendingRequests: 2},
          outlierDetection: {consecutive5xxErrors: 3, interval: 5s},
          retry: {attempts: 1, retryOn: [5xx, "503"], perTryTimeout: 250ms, backoff: 50ms},
          retryBudget: {percent: 25, minRetriesPerSecond: 5},
          timeouts: {request: 0s, perTry: 1s},
          fault: {delay: {fixedDelay: 100ms, percentage: 10}, abort: {httpStatus: 503, percentage: {value: 0.5}}},
          rateLimit: {local: {requestsPerUnit: 100, unit: second, burst: 10}, global: {requestsPerUnit: 600, unit: minute, key: {header: X-Api-Key}}}}`,
      ),
    );
    expect(service.policy.loadBalancer).toEqual({
      type: "ConsistentHash",
      hash: { cookie: { name: "s", ttlSeconds: 3600 } },
    });
    expect(service.policy.resilience).toEqual({
      circuitBreaker: { maxConcurrentRequests: 10, maxPendingRequests: 2 },
      outlierDetection: { ...OD, consecutive5xxErrors: 3, intervalMs: 5000 },
      retry: {
        attempts: 1,
        retryOn: ["5xx", "retriable-status-codes"],
        codes: [503],
        perTryTimeoutMs: 250,
        backoffBaseMs: 50,
        retryNonIdempotent: false,
      },
      retryBudget: { percent: 25, minRetriesPerSecond: 5, windowMs: RESILIENCE_DEFAULTS.retryBudget.windowMs },
      timeouts: { requestMs: 0, perTryMs: 1000 },
      fault: { delay: { ms: 100, percent: 10 }, abort: { status: 503, percent: 0.5 } },
      rateLimit: {
        local: { requestsPerUnit: 100, unit: "second", burst: 10 },
        global: { requestsPerUnit: 600, unit: "minute", key: { header: "x-api-key" } },
      },
      subsets: {},
    });
  });

  it("wins over the DestinationRule field by field", () => {
    const service = reviewsPolicy(
      dr(
        "{loadBalancer: {simple: RANDOM}, connectionPool: {http: {http2MaxRequests: 50}}, outlierDetection: {consecutive5xxErrors: 9}}",
      ),
      tp(
        "lb",
        "{targetRef: {kind: Service, name: reviews}, loadBalancer: {type: LeastRequest}, circuitBreaker: {maxConcurrentRequests: 5}}",
      ),
    );
    expect(service.policy.loadBalancer).toEqual({ type: "LeastRequest" });
    expect(service.policy.resilience?.circuitBreaker).toEqual({ maxConcurrentRequests: 5 });
    expect(service.policy.resilience?.outlierDetection?.consecutive5xxErrors).toBe(9);
  });

  it("takes each field from the most specific policy: targetRef > selector > namespace > mesh-wide", () => {
    const service = reviewsPolicy(
      tp(
        "mesh",
        "{loadBalancer: {type: Random}, timeouts: {request: 9s}, circuitBreaker: {maxConcurrentRequests: 1000}, rateLimit: {local: {requestsPerUnit: 1, unit: second}}}",
        "istio-system",
      ),
      tp("ns", "{timeouts: {request: 5s}, circuitBreaker: {maxConcurrentRequests: 100}}"),
      tp("sel", "{selector: {matchLabels: {app: reviews}}, circuitBreaker: {maxConcurrentRequests: 10}}"),
      tp("other", "{targetRef: {kind: Service, name: ratings}, loadBalancer: {type: LeastRequest}}"),
    );
    expect(service.policy.loadBalancer).toEqual({ type: "Random" });
    expect(service.policy.resilience?.timeouts).toEqual({ requestMs: 5000 });
    expect(service.policy.resilience?.circuitBreaker).toEqual({ maxConcurrentRequests: 10 });
    expect(service.policy.resilience?.rateLimit).toEqual({ local: { requestsPerUnit: 1, unit: "second" } });
  });

  it("breaks ties between equally specific policies by age", () => {
    const [newer, older] = loadResources(
      tp("a", "{circuitBreaker: {maxConcurrentRequests: 1}}"),
      tp("b", "{circuitBreaker: {maxConcurrentRequests: 2}}"),
    );
    const snapshot = compileSnapshot(
      [
        ...loadResources(B.BOOKINFO_SERVICES),
        createdAt(newer!, "2024-05-01T00:00:00Z"),
        createdAt(older!, "2024-01-01T00:00:00Z"),
      ],
      1,
      "t",
    );
    expect(snapshot.services["default/reviews"]?.policy.resilience?.circuitBreaker).toEqual({
      maxConcurrentRequests: 2,
    });
  });

  it("adds the Service's health check with defaults", () => {
    const service = compileSnapshot(
      loadResources(
        "apiVersion: flaremesh.dev/v1alpha1\nkind: Service\nmetadata: {name: api}\nspec: {endpoints: [{url: 'https://api.example.com'}], healthCheck: {path: /healthz, interval: 5s}}",
      ),
      1,
      "t",
    ).services["default/api"];
    expect(service?.policy.resilience?.healthCheck).toEqual({
      ...RESILIENCE_DEFAULTS.healthCheck,
      path: "/healthz",
      intervalMs: 5000,
    });
  });
});

describe("policySpecificity", () => {
  const service = { name: "reviews", namespace: "default", labels: { app: "reviews", version: "v1" } };
  const policy = (namespace: string, spec: unknown) => ({
    apiVersion: "v",
    kind: "TrafficPolicy" as const,
    metadata: { name: "p", namespace },
    spec,
  });
  it.each([
    ["targetRef to the service", policy("default", { targetRef: { kind: "Service", name: "reviews" } }), 3],
    ["targetRef to another service", policy("default", { targetRef: { kind: "Service", name: "ratings" } }), undefined],
    [
      "targetRef from another namespace",
      policy("prod", { targetRef: { kind: "Service", name: "reviews", namespace: "default" } }),
      undefined,
    ],
    [
      "selector matching the implicit app label",
      policy("default", { selector: { matchLabels: { app: "reviews" } } }),
      2,
    ],
    [
      "selector not matching",
      policy("default", { selector: { matchLabels: { app: "reviews", version: "v2" } } }),
      undefined,
    ],
    ["selector from the root namespace", policy("istio-system", { selector: { matchLabels: { app: "reviews" } } }), 2],
    ["selector from another namespace", policy("prod", { selector: { matchLabels: { app: "reviews" } } }), undefined],
    ["empty matchLabels counts as no selector", policy("default", { selector: { matchLabels: {} } }), 1],
    ["namespace-wide", policy("default", {}), 1],
    ["other namespace", policy("prod", {}), undefined],
    ["mesh-wide", policy("istio-system", {}), 0],
  ])("%s", (_name, p, expected) => expect(policySpecificity(p, service)).toBe(expected));
});
