// The resilience model: defaults written down once, milliseconds, strict fields.
import { describe, expect, it } from "vitest";
import {
  EndpointHealthModel,
  FaultPolicyModel,
  GlobalRateLimitModel,
  HealthCheckModel,
  MeshResilienceModel,
  RetryPolicyModel,
  ServiceResilienceModel,
} from "./resilience";

describe("ServiceResilienceModel", () => {
  it("an empty policy gets the default retry budget and nothing else switched on", () => {
    expect(ServiceResilienceModel.parse({})).toEqual({
      retryBudget: { percent: 20, minRetriesPerSecond: 10, windowMs: 10_000 },
      subsets: {},
    });
  });

  it.each([
    [{ circuitBreaker: { maxConcurrentRequests: 0 } }, "circuitBreaker.maxConcurrentRequests"],
    [{ outlierDetection: { maxEjectionPercent: 101 } }, "outlierDetection.maxEjectionPercent"],
    [{ timeouts: { requestMs: 1.5 } }, "timeouts.requestMs"],
    [{ retry: { attempts: -1 } }, "retry.attempts"],
    [{ rateLimit: { local: { requestsPerUnit: 1, unit: "day" } } }, "rateLimit.local.unit"],
    [{ unknownField: true }, ""],
  ])("rejects %j at %s", (input, path) => {
    const r = ServiceResilienceModel.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

describe("other models", () => {
  it("mesh defaults: Istio's retry policy, 64 KiB retry bodies, no timeout", () => {
    expect(MeshResilienceModel.parse({})).toEqual({
      defaultRetry: {
        attempts: 2,
        retryOn: ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"],
        codes: [503],
        retryNonIdempotent: false,
      },
      retryBodyLimitBytes: 65_536,
    });
  });

  it("a retry policy fills its lists and the non-idempotent switch", () => {
    expect(RetryPolicyModel.parse({ attempts: 3 })).toEqual({
      attempts: 3,
      retryOn: [],
      codes: [],
      retryNonIdempotent: false,
    });
  });

  it("fault percentages default to 100 and may be fractional", () => {
    expect(FaultPolicyModel.parse({ delay: { ms: 7000 }, abort: { status: 500, percent: 0.1 } })).toEqual({
      delay: { ms: 7000, percent: 100 },
      abort: { status: 500, percent: 0.1 },
    });
  });

  it("health checks default to / every 10 s, 2 s timeout, 3 down / 2 up", () => {
    expect(HealthCheckModel.parse({})).toEqual({
      path: "/",
      intervalMs: 10_000,
      timeoutMs: 2_000,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
    });
  });

  it("a global limit key is exactly one of header, principal, clientIp", () => {
    expect(
      GlobalRateLimitModel.safeParse({ requestsPerUnit: 1, unit: "second", key: { header: "x", clientIp: true } })
        .success,
    ).toBe(false);
    expect(
      GlobalRateLimitModel.safeParse({ requestsPerUnit: 1, unit: "second", key: { principal: true } }).success,
    ).toBe(true);
  });

  it("endpoint health defaults to nothing unhealthy and no ejections", () => {
    expect(EndpointHealthModel.parse({ generatedAtMs: 1 })).toEqual({ generatedAtMs: 1, unhealthy: {}, ejections: {} });
  });
});
