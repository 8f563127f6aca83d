// Which retry, fault, timeouts and limits apply when route, service and mesh all have settings.
import { describe, expect, it } from "vitest";
import { MeshResilienceModel, ServiceResilienceModel } from "../model/resilience";
import { destinationKey, destinationLimits, effectiveFault, effectiveRetry, effectiveTimeouts } from "./resolve-policy";

const mesh = MeshResilienceModel.parse({ defaultTimeoutMs: 15_000 });
const service = ServiceResilienceModel.parse({
  retry: { attempts: 5, retryOn: ["5xx"], perTryTimeoutMs: 900 },
  timeouts: { requestMs: 4_000 },
  fault: { abort: { status: 503, percent: 10 } },
  circuitBreaker: { maxConcurrentRequests: 10 },
  outlierDetection: {},
  subsets: { v2: { circuitBreaker: { maxConcurrentRequests: 1, maxPendingRequests: 0 } } },
});

describe("effectiveRetry", () => {
  it("route, else service, else the mesh default (Istio's policy)", () => {
    expect(effectiveRetry({ retry: { attempts: 0 } }, service, mesh)).toEqual({ attempts: 0 });
    expect(effectiveRetry({}, service, mesh)?.attempts).toBe(5);
    expect(effectiveRetry({}, undefined, mesh)).toEqual({
      attempts: 2,
      retryOn: ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"],
      codes: [503],
      retryNonIdempotent: false,
    });
  });
});

describe("effectiveFault", () => {
  it("the route's fault replaces the service's", () => {
    expect(effectiveFault({ fault: { delay: { ms: 7000 } } }, service)).toEqual({ delay: { ms: 7000 } });
    expect(effectiveFault(undefined, service)).toEqual({ abort: { status: 503, percent: 10 } });
    expect(effectiveFault(undefined, undefined)).toBeUndefined();
  });
});

describe("effectiveTimeouts", () => {
  it.each([
    [{}, { requestMs: 4_000, perTryMs: 900 }],
    [{ timeoutMs: 1_000 }, { requestMs: 1_000, perTryMs: 900 }],
    [{ timeoutMs: 0 }, { requestMs: null, perTryMs: 900 }],
    [{ perTryTimeoutMs: 200 }, { requestMs: 4_000, perTryMs: 200 }],
    [
      { retry: { attempts: 1, perTryTimeoutMs: 50 }, perTryTimeoutMs: 200 },
      { requestMs: 4_000, perTryMs: 50 },
    ],
  ])("route %j → %j", (route, expected) => expect(effectiveTimeouts(route, service, mesh)).toEqual(expected));

  it("falls back to the mesh default timeout", () => {
    expect(effectiveTimeouts({}, undefined, mesh)).toEqual({ requestMs: 15_000, perTryMs: null });
    expect(effectiveTimeouts({}, undefined, undefined)).toEqual({ requestMs: null, perTryMs: null });
  });
});

describe("destinationLimits", () => {
  it("a subset's own fields win, the rest come from the service", () => {
    const v2 = destinationLimits(service, "v2");
    expect(v2.circuitBreaker).toEqual({ maxConcurrentRequests: 1, maxPendingRequests: 0 });
    expect(v2.outlierDetection?.consecutive5xxErrors).toBe(5);
    expect(v2.retryBudget).toEqual({ percent: 20, minRetriesPerSecond: 10, windowMs: 10_000 });
    expect(destinationLimits(service, "v1").circuitBreaker).toEqual({ maxConcurrentRequests: 10 });
    expect(destinationLimits(undefined)).toEqual({
      circuitBreaker: undefined,
      outlierDetection: undefined,
      retryBudget: undefined,
    });
  });

  it.each([
    ["default/reviews", undefined, "default/reviews"],
    ["default/reviews", "", "default/reviews"],
    ["default/reviews", "v2", "default/reviews|v2"],
  ])("destinationKey(%s, %j) = %s", (svc, subset, key) => expect(destinationKey(svc, subset)).toBe(key));
});
