// Per-isolate state of every destination (service, or service + subset): breaker, outlier detection,
// retry budget and in-flight counts. Lives in a module global, across config revisions.
import type { OutlierConfig, OutlierState, LimiterState, RetryBudgetState } from "../../../../shared/resilience/index";

export interface DestinationState {
  /** `destinationKey(service, subset)`. */
  readonly key: string;
  readonly serviceKey: string;
  readonly limiter: LimiterState;
  /**
   * Queued breaker tickets that were handed a slot. Waiters poll for their ticket rather than being resolved by
   * the request that freed the slot: workerd cancels continuations resolved from another request's context.
   */
  readonly granted: Set<number>;
  readonly outlier: OutlierState;
  /** Null when the destination has no outlier detection (nothing is recorded or ejected). */
  outlierConfig: OutlierConfig | null;
  budget: RetryBudgetState;
  budgetSignature: string;
  /** Retries in flight (DestinationRule `http.maxRetries`). */
  activeRetries: number;
  maxConcurrentRetries: number;
  /** Endpoint id → tries in flight (LeastRequest). */
  readonly inflight: Map<string, number>;
  /** True when every endpoint is a Worker (tries count against the 32-invocation limit). */
  endpointsAreWorkers: boolean;
  /** The revision and health generation the state was last synchronized with. */
  revision: number;
  healthGeneration: number;
}

export const destinations = new Map<string, DestinationState>();
