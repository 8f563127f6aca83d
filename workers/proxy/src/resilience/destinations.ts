// Finds (or creates) a destination's per-isolate state and brings it in line with the served revision and
// the latest endpoint health: new limits, endpoints, outlier settings, retry budget, remote ejections.
import { OutlierDetectionModel } from "../../../../shared/model/resilience";
import {
  createLimiter,
  createOutlierState,
  createRetryBudget,
  destinationKey,
  destinationLimits,
  mergeRemoteEjections,
  setLimits,
  syncEndpoints,
  type OutlierConfig,
} from "../../../../shared/resilience/index";
import type { CompiledConfig } from "../config/compiled";
import type { BackendChoice } from "../context";
import { destinations, type DestinationState } from "./registry";
import { healthGeneration, remoteEjections } from "./shared-health";

/** Outlier settings that never eject: used to exclude unhealthy endpoints when outlier detection is off. */
export const NO_OUTLIER_DETECTION: OutlierConfig = OutlierDetectionModel.parse({
  consecutive5xxErrors: 0,
  consecutiveGatewayErrors: 0,
});

export function destinationFor(config: CompiledConfig, choice: BackendChoice): DestinationState {
  const key = destinationKey(choice.service.key, choice.backend.subset);
  let state = destinations.get(key);
  if (state === undefined) {
    state = {
      key,
      serviceKey: choice.service.key,
      limiter: createLimiter(),
      granted: new Set(),
      outlier: createOutlierState([]),
      outlierConfig: null,
      budget: createRetryBudget(),
      budgetSignature: "",
      activeRetries: 0,
      maxConcurrentRetries: Number.POSITIVE_INFINITY,
      inflight: new Map(),
      endpointsAreWorkers: true,
      revision: -1,
      healthGeneration: -1,
    };
    destinations.set(key, state);
  }
  if (state.revision !== config.revision) syncRevision(state, config, choice);
  const generation = healthGeneration();
  if (state.healthGeneration !== generation) {
    state.healthGeneration = generation;
    if (state.outlierConfig !== null) {
      mergeRemoteEjections(state.outlier, remoteEjections(key), Date.now(), state.outlierConfig);
    }
  }
  return state;
}

/** Once per destination per revision: in-flight requests keep their slots, endpoints keep their history. */
function syncRevision(state: DestinationState, config: CompiledConfig, choice: BackendChoice): void {
  state.revision = config.revision;
  const limits = destinationLimits(choice.service.model.policy.resilience, choice.backend.subset);
  const cb = limits.circuitBreaker ?? {};
  for (const ticket of setLimits(state.limiter, cb)) wake(state, ticket);
  state.maxConcurrentRetries = cb.maxConcurrentRetries ?? Number.POSITIVE_INFINITY;
  const ids = choice.set.endpoints.map((e) => e.id);
  syncEndpoints(state.outlier, ids);
  state.outlierConfig = limits.outlierDetection ?? null;
  const budget = limits.retryBudget ?? {};
  const signature = JSON.stringify(budget);
  if (signature !== state.budgetSignature) {
    state.budget = createRetryBudget(budget);
    state.budgetSignature = signature;
  }
  state.endpointsAreWorkers = choice.set.endpoints.every((e) => e.worker !== undefined);
  // A newer health view may name endpoints this revision just added.
  state.healthGeneration = -1;
}

/** Marks `ticket` as owning a breaker slot; its waiter sees it at its next poll. */
export function wake(state: DestinationState, ticket: number): void {
  state.granted.add(ticket);
}
