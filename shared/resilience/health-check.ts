// Active health check state machine of one endpoint, run by the control plane (Durable Object alarms).
import type { HealthCheckModel } from "../model/resilience";

export type HealthCheckConfig = Pick<HealthCheckModel, "intervalMs" | "unhealthyThreshold" | "healthyThreshold">;

/**
 * `unknown` until the first probe and treated as healthy (an endpoint is in rotation before it has been
 * checked, so a new service does not start with 503s); the first success confirms it at once.
 */
export type HealthStatus = "unknown" | "healthy" | "unhealthy";

export interface HealthCheckState {
  status: HealthStatus;
  consecutiveOk: number;
  consecutiveFail: number;
  nextProbeAtMs: number;
}

export interface HealthTransition {
  from: HealthStatus;
  to: HealthStatus;
}

/** First probe at `nowMs + offset`; pass a random offset within the interval to spread many endpoints. */
export function createHealthCheckState(nowMs: number, firstProbeOffsetMs = 0): HealthCheckState {
  return {
    status: "unknown",
    consecutiveOk: 0,
    consecutiveFail: 0,
    nextProbeAtMs: nowMs + Math.max(0, firstProbeOffsetMs),
  };
}

/** A probe succeeds on a 2xx or 3xx answer within the timeout (Kubernetes' rule). */
export function probeSucceeded(status: number | null): boolean {
  return status !== null && status >= 200 && status <= 399;
}

/**
 * Records one probe. `unhealthyThreshold` consecutive failures take a healthy (or unknown) endpoint out;
 * `healthyThreshold` consecutive successes bring an unhealthy one back. Returns the transition, or null.
 */
export function recordProbe(
  state: HealthCheckState,
  ok: boolean,
  nowMs: number,
  cfg: HealthCheckConfig,
): HealthTransition | null {
  state.nextProbeAtMs = nowMs + cfg.intervalMs;
  const from = state.status;
  if (ok) {
    state.consecutiveOk++;
    state.consecutiveFail = 0;
    if (from === "unknown" || (from === "unhealthy" && state.consecutiveOk >= cfg.healthyThreshold)) {
      state.status = "healthy";
    }
  } else {
    state.consecutiveFail++;
    state.consecutiveOk = 0;
    if (from !== "unhealthy" && state.consecutiveFail >= cfg.unhealthyThreshold) state.status = "unhealthy";
  }
  return state.status === from ? null : { from, to: state.status };
}

/** Whether the endpoint may receive traffic. */
export function inRotation(state: HealthCheckState): boolean {
  return state.status !== "unhealthy";
}

/** When the next alarm should fire for a set of endpoints (null when there are none). */
export function nextProbeTime(states: Iterable<HealthCheckState>): number | null {
  let next: number | null = null;
  for (const s of states) if (next === null || s.nextProbeAtMs < next) next = s.nextProbeAtMs;
  return next;
}
