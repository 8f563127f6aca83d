// Fault injection, decided once per request before any upstream try (Istio `fault`, TrafficPolicy `fault`).
import type { Random01 } from "./random";
import { draw } from "./random";

/** Snapshot `FaultModel` and `FaultPolicyModel` both fit. Percentages may be fractional (0.1 = 1 in 1000). */
export interface FaultInput {
  delay?: { ms: number; percent?: number };
  abort?: { status: number; percent?: number };
}

export interface FaultDecision {
  /** Wait this long before going on (Envoy flag `DI`). */
  delayMs?: number;
  /** Answer this status with code `fault_injected` instead of calling the upstream (flag `FI`). */
  abortStatus?: number;
}

/**
 * Delay and abort are drawn independently, in that order (two draws when both are configured), so a
 * request may be delayed and then aborted, as with Envoy's fault filter. An absent percent means 100.
 * The decision is made once per request: retries never re-draw, and an injected abort is never retried.
 */
export function decideFault(fault: FaultInput | undefined, random01: Random01): FaultDecision {
  const out: FaultDecision = {};
  if (fault?.delay !== undefined && hit(fault.delay.percent, random01)) out.delayMs = fault.delay.ms;
  if (fault?.abort !== undefined && hit(fault.abort.percent, random01)) out.abortStatus = fault.abort.status;
  return out;
}

function hit(percent: number | undefined, random01: Random01): boolean {
  const p = percent ?? 100;
  return draw(random01) * 100 < p;
}
