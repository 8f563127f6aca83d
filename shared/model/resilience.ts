// The normalized resilience policy a proxy enforces (per service, per route, mesh defaults), in milliseconds,
// with every default written down once in RESILIENCE_DEFAULTS. shared/compile fills it; shared/resilience reads it.
import * as z from "zod";

const ms = z.number().int().min(0);
const positiveMs = z.number().int().positive();
const count = z.number().int().min(0);
const percent = z.number().min(0).max(100);

/**
 * Defaults, with where they come from. Istio: DestinationRule/VirtualService reference; Envoy: router and
 * outlier-detection reference; Linkerd: retry budgets; Kubernetes: probe defaults.
 */
export const RESILIENCE_DEFAULTS = {
  /** Envoy: retry back-off base interval 25 ms, maximum 10× base. */
  backoffBaseMs: 25,
  backoffMaxFactor: 10,
  /** Request bodies larger than this are streamed once and never retried (Linkerd's rule). */
  retryBodyLimitBytes: 64 * 1024,
  /** Linkerd: retries ≤ 20% of requests + 10 retries/s, over a 10 s window. Per proxy isolate. */
  retryBudget: { percent: 20, minRetriesPerSecond: 10, windowMs: 10_000 },
  /** Istio OutlierDetection defaults (gateway-error detector disabled, no panic threshold); Envoy max ejection 300 s. */
  outlierDetection: {
    consecutive5xxErrors: 5,
    consecutiveGatewayErrors: 0,
    intervalMs: 10_000,
    baseEjectionTimeMs: 30_000,
    maxEjectionTimeMs: 300_000,
    maxEjectionPercent: 10,
    minHealthPercent: 0,
    alwaysEjectOne: false,
  },
  /** Active health checks: Kubernetes-like period; a little more timeout than its 1 s for Worker cold starts. */
  healthCheck: { path: "/", intervalMs: 10_000, timeoutMs: 2_000, unhealthyThreshold: 3, healthyThreshold: 2 },
} as const;

/** Istio's default retry policy, applied to a route that has none (`retries.attempts: 0` turns it off). */
export const ISTIO_DEFAULT_RETRY = {
  attempts: 2,
  retryOn: ["connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"],
  codes: [503],
  retryNonIdempotent: false,
} as const;

/**
 * Envoy `retryOn` conditions the proxy understands. Numeric entries (`"503"`) are also accepted and act
 * like `codes`. `refused-stream` (HTTP/2) and the gRPC ones other than via a `grpc-status` response header
 * never occur on Workers; `envoy-ratelimited`, `retriable-headers`, `http3-post-connect-failure` are
 * accepted and never match.
 */
export const RETRY_ON_CONDITIONS = [
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
  "envoy-ratelimited",
  "retriable-headers",
  "http3-post-connect-failure",
] as const;
export type RetryOnCondition = (typeof RETRY_ON_CONDITIONS)[number];

/**
 * One retry policy. Field names match snapshot `RetryModel`, which it extends.
 * Mapping: Istio `retries {attempts, perTryTimeout, retryOn}` → attempts, perTryTimeoutMs, retryOn (split
 * on commas; numeric entries may go to `codes`). Gateway API `retry {attempts, codes, backoff}` →
 * attempts, codes, retryOn ["connect-failure", "reset"] (the spec requires retrying connection errors),
 * backoffBaseMs = backoffMinMs = backoff (the spec calls it a minimum). Listed `codes` are always
 * retriable. `attempts` counts retries: 2 → at most 3 tries.
 */
export const RetryPolicyModel = z.strictObject({
  attempts: count,
  retryOn: z.array(z.string()).default([]),
  codes: z.array(z.number().int().min(100).max(599)).default([]),
  perTryTimeoutMs: positiveMs.optional(),
  /** Default RESILIENCE_DEFAULTS.backoffBaseMs. */
  backoffBaseMs: positiveMs.optional(),
  /** Default 10 × backoffBaseMs. */
  backoffMaxMs: positiveMs.optional(),
  /** Floor of every back-off delay (Gateway API `backoff`); default 0 (full jitter). */
  backoffMinMs: ms.optional(),
  /** Retry POST/PATCH/… even when the upstream may have received the request. */
  retryNonIdempotent: z.boolean().default(false),
});
export type RetryPolicyModel = z.infer<typeof RetryPolicyModel>;

/** Istio `fault` / TrafficPolicy `fault`. `percent` may be fractional; absent means 100 (as Istio documents). */
export const FaultPolicyModel = z.strictObject({
  delay: z.strictObject({ ms, percent: percent.default(100) }).optional(),
  abort: z.strictObject({ status: z.number().int().min(200).max(599), percent: percent.default(100) }).optional(),
});
export type FaultPolicyModel = z.infer<typeof FaultPolicyModel>;

/**
 * What one route adds. Same field names as snapshot `RouteModel`. `timeoutMs: 0` disables the timeout
 * (Istio `timeout: 0s`, Gateway API `request: 0s`) and stops the fall-back to service/mesh defaults.
 * `perTryTimeoutMs` is Gateway API `backendRequest` (applies even without retries).
 */
export const RouteResilienceModel = z.strictObject({
  timeoutMs: ms.optional(),
  perTryTimeoutMs: positiveMs.optional(),
  retry: RetryPolicyModel.optional(),
  fault: FaultPolicyModel.optional(),
});
export type RouteResilienceModel = z.infer<typeof RouteResilienceModel>;

/**
 * Circuit breaker of one destination (service, or service+subset), per proxy isolate. Absent = unlimited.
 * Mapping: TrafficPolicy `circuitBreaker` 1:1. DestinationRule `connectionPool`: maxConcurrentRequests =
 * min(tcp.maxConnections, http.http2MaxRequests) (an HTTP/1 connection carries one request at a time);
 * maxPendingRequests = http.http1MaxPendingRequests; maxConcurrentRetries = http.maxRetries;
 * maxRequestsPerConnection has no meaning without connections (ignored).
 */
export const CircuitBreakerModel = z.strictObject({
  maxConcurrentRequests: z.number().int().positive().optional(),
  maxPendingRequests: count.optional(),
  maxConcurrentRetries: count.optional(),
});
export type CircuitBreakerModel = z.infer<typeof CircuitBreakerModel>;

const OD = RESILIENCE_DEFAULTS.outlierDetection;
/** Istio/TrafficPolicy `outlierDetection`; presence turns it on. A threshold of 0 disables that detector. */
export const OutlierDetectionModel = z.strictObject({
  consecutive5xxErrors: count.default(OD.consecutive5xxErrors),
  consecutiveGatewayErrors: count.default(OD.consecutiveGatewayErrors),
  intervalMs: positiveMs.default(OD.intervalMs),
  baseEjectionTimeMs: positiveMs.default(OD.baseEjectionTimeMs),
  /** Cap on the growing ejection time; the larger of this and baseEjectionTimeMs applies (Envoy). */
  maxEjectionTimeMs: positiveMs.default(OD.maxEjectionTimeMs),
  maxEjectionPercent: percent.default(OD.maxEjectionPercent),
  /** Istio `minHealthPercent`: below this share of healthy endpoints, route to all (panic). 0 = off. */
  minHealthPercent: percent.default(OD.minHealthPercent),
  /** Envoy `always_eject_one_host`: allow one ejection even when maxEjectionPercent would allow none. */
  alwaysEjectOne: z.boolean().default(OD.alwaysEjectOne),
});
export type OutlierDetectionModel = z.infer<typeof OutlierDetectionModel>;

const RB = RESILIENCE_DEFAULTS.retryBudget;
/** TrafficPolicy/DestinationRule `retryBudget` (Istio's `minRetryConcurrency` has no equivalent here). */
export const RetryBudgetModel = z.strictObject({
  percent: percent.default(RB.percent),
  minRetriesPerSecond: z.number().min(0).default(RB.minRetriesPerSecond),
  windowMs: positiveMs.default(RB.windowMs),
});
export type RetryBudgetModel = z.infer<typeof RetryBudgetModel>;

/** TrafficPolicy `timeouts {request, perTry}`. `requestMs: 0` disables (no mesh default either). */
export const TimeoutsModel = z.strictObject({ requestMs: ms.optional(), perTryMs: positiveMs.optional() });
export type TimeoutsModel = z.infer<typeof TimeoutsModel>;

export const RateUnit = z.enum(["second", "minute", "hour"]);
export type RateUnit = z.infer<typeof RateUnit>;

/** Token bucket per proxy isolate. `burst` is the bucket size; absent or 0 → requestsPerUnit. */
export const LocalRateLimitModel = z.strictObject({
  requestsPerUnit: z.number().int().positive(),
  unit: RateUnit,
  burst: count.optional(),
});
export type LocalRateLimitModel = z.infer<typeof LocalRateLimitModel>;

/** Mesh-wide fixed/sliding window counter. Without `key`, one counter for the whole service. */
export const GlobalRateLimitModel = z.strictObject({
  requestsPerUnit: z.number().int().positive(),
  unit: RateUnit,
  key: z
    .union([
      z.strictObject({ header: z.string().min(1) }),
      z.strictObject({ principal: z.literal(true) }),
      z.strictObject({ clientIp: z.literal(true) }),
    ])
    .optional(),
});
export type GlobalRateLimitModel = z.infer<typeof GlobalRateLimitModel>;

const HC = RESILIENCE_DEFAULTS.healthCheck;
/** Service `healthCheck`, run by the control plane. */
export const HealthCheckModel = z.strictObject({
  path: z.string().startsWith("/").default(HC.path),
  intervalMs: positiveMs.default(HC.intervalMs),
  timeoutMs: positiveMs.default(HC.timeoutMs),
  unhealthyThreshold: z.number().int().positive().default(HC.unhealthyThreshold),
  healthyThreshold: z.number().int().positive().default(HC.healthyThreshold),
});
export type HealthCheckModel = z.infer<typeof HealthCheckModel>;

/**
 * A destination's limits; also what a DestinationRule subset (`subsets[].trafficPolicy`) overrides, field
 * by field. Breaker, outlier detection and retry budget are all kept per destination = service, or
 * service + subset when the route names one (as Envoy keeps them per cluster).
 */
export const DestinationLimitsModel = z.strictObject({
  circuitBreaker: CircuitBreakerModel.optional(),
  outlierDetection: OutlierDetectionModel.optional(),
  retryBudget: RetryBudgetModel.optional(),
});
export type DestinationLimitsModel = z.infer<typeof DestinationLimitsModel>;

/**
 * Everything resilience-related that applies when this service is the destination: meant to live at
 * snapshot `ServiceModel.policy.resilience`. Route-level settings (RouteResilienceModel) win over
 * `retry`/`timeouts`/`fault` here, which win over MeshResilienceModel.
 */
export const ServiceResilienceModel = z.strictObject({
  circuitBreaker: CircuitBreakerModel.optional(),
  outlierDetection: OutlierDetectionModel.optional(),
  /** Always on: absent → RESILIENCE_DEFAULTS.retryBudget. */
  retryBudget: RetryBudgetModel.prefault({}),
  retry: RetryPolicyModel.optional(),
  timeouts: TimeoutsModel.optional(),
  fault: FaultPolicyModel.optional(),
  rateLimit: z
    .strictObject({ local: LocalRateLimitModel.optional(), global: GlobalRateLimitModel.optional() })
    .optional(),
  healthCheck: HealthCheckModel.optional(),
  /** Subset name → overrides (DestinationRule `subsets[].trafficPolicy`). */
  subsets: z.record(z.string(), DestinationLimitsModel).default({}),
});
export type ServiceResilienceModel = z.infer<typeof ServiceResilienceModel>;

/** Mesh-wide defaults (MeshConfig `defaultTimeout`, `defaultHttpRetryPolicy`). */
export const MeshResilienceModel = z.strictObject({
  /** Absent or 0: no default timeout (Istio: route timeouts are disabled by default). */
  defaultTimeoutMs: ms.optional(),
  defaultRetry: RetryPolicyModel.prefault(() => ({
    ...ISTIO_DEFAULT_RETRY,
    retryOn: [...ISTIO_DEFAULT_RETRY.retryOn],
    codes: [...ISTIO_DEFAULT_RETRY.codes],
  })),
  retryBodyLimitBytes: count.default(RESILIENCE_DEFAULTS.retryBodyLimitBytes),
});
export type MeshResilienceModel = z.infer<typeof MeshResilienceModel>;

/** An ejection one proxy isolate made, shared with the others through the control plane. */
export const RemoteEjectionModel = z.strictObject({
  endpointId: z.string().min(1),
  /** Epoch milliseconds. */
  ejectedUntilMs: z.number().int(),
  ejectionCount: z.number().int().positive(),
});
export type RemoteEjectionModel = z.infer<typeof RemoteEjectionModel>;

/**
 * Endpoint health the control plane hands to proxies next to the config snapshot (not part of a
 * revision: it changes without an apply).
 */
export const EndpointHealthModel = z.strictObject({
  generatedAtMs: z.number().int(),
  /** Service key `<namespace>/<name>` → ids of endpoints failing active health checks. */
  unhealthy: z.record(z.string(), z.array(z.string())).default({}),
  /** Destination key (`destinationKey(service, subset)`) → ejections made by some proxy isolate. */
  ejections: z.record(z.string(), z.array(RemoteEjectionModel)).default({}),
});
export type EndpointHealthModel = z.infer<typeof EndpointHealthModel>;
