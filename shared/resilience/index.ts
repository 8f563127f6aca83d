// Façade: the pure resilience decisions the proxy pipeline and the control plane call (no I/O, no clocks:
// time and randomness are arguments). See docs/decisions/retry-semantics.md and circuit-breaker-scope.md.
export { backoffDelay, type BackoffOptions } from "./backoff";
export {
  classifyOutcome,
  failureError,
  isGatewayError,
  isServerError,
  OVERFLOW_OUTCOME,
  type Delivery,
  type TryOutcome,
  type TryResult,
  type UpstreamFailure,
} from "./outcome";
export {
  compileRetryPolicy,
  isIdempotentMethod,
  matchesRetryOn,
  nextRetry,
  NO_RETRY,
  shouldRetry,
  type NoRetryReason,
  type RetryContext,
  type RetryDecision,
  type RetryPlan,
  type RetryPolicyInput,
} from "./retry-policy";
export { bodyReplayPlan, retryCandidates, RETRY_BODY_LIMIT_BYTES, type BodyReplayPlan } from "./retry-request";
export {
  INVOCATION_BUDGET_HEADER,
  INVOCATION_LIMIT,
  planTries,
  readInvocationBudget,
  type TryPlan,
} from "./invocation-budget";
export {
  createRetryBudget,
  recordRequest,
  remainingRetries,
  tryWithdrawRetry,
  type RetryBudgetConfig,
  type RetryBudgetState,
} from "./retry-budget";
export {
  cancel,
  createLimiter,
  release,
  setLimits,
  tryAcquire,
  type AcquireResult,
  type ConcurrencyLimits,
  type LimiterState,
} from "./concurrency-limiter";
export {
  abandonProbe,
  availableEndpoints,
  createOutlierState,
  ejectionDurationMs,
  endpointStatus,
  recordResult,
  syncEndpoints,
  type Availability,
  type EndpointStatus,
  type OutlierConfig,
  type OutlierState,
} from "./outlier-detection";
export { localEjections, mergeRemoteEjections, type RemoteEjection } from "./outlier-sharing";
export { createTokenBucket, tryTake, type TakeResult, type TokenBucket } from "./token-bucket";
export {
  decideGlobal,
  globalLimitKey,
  globalWindowKey,
  slidingCount,
  windowBounds,
  type GlobalDecision,
  type RateLimitFacts,
  type WindowBounds,
} from "./global-rate-limit";
export { retryAfterSeconds, UNIT_MS } from "./rate-unit";
export { decideFault, type FaultDecision, type FaultInput } from "./fault";
export {
  remainingBudget,
  requestDeadline,
  resolveTimeouts,
  tryTimeout,
  type ResolvedTimeouts,
  type TimeoutSources,
} from "./timeouts";
export {
  destinationKey,
  destinationLimits,
  effectiveFault,
  effectiveRetry,
  effectiveTimeouts,
  type RouteResilienceInput,
} from "./resolve-policy";
export {
  createHealthCheckState,
  inRotation,
  nextProbeTime,
  probeSucceeded,
  recordProbe,
  type HealthCheckConfig,
  type HealthCheckState,
  type HealthStatus,
  type HealthTransition,
} from "./health-check";
export type { Random01 } from "./random";
