// Smooth weighted round robin (nginx's algorithm): an even interleaving that respects endpoint weights.

/** Per endpoint set, kept for the lifetime of a config revision. */
export interface RoundRobinState {
  current: number[];
}

export function createRoundRobinState(): RoundRobinState {
  return { current: [] };
}

/**
 * The next endpoint index, or null when no endpoint has a positive weight. Weights 5,1,1 give
 * a a b a c a a — never a burst of the heavy endpoint — and equal weights give plain rotation.
 */
export function nextRoundRobin(state: RoundRobinState, endpoints: readonly { weight: number }[]): number | null {
  if (state.current.length !== endpoints.length) state.current = endpoints.map(() => 0);
  let total = 0;
  let best = -1;
  for (let i = 0; i < endpoints.length; i++) {
    const w = endpoints[i]!.weight;
    if (w <= 0) continue;
    total += w;
    const c = (state.current[i] = state.current[i]! + w);
    if (best === -1 || c > state.current[best]!) best = i;
  }
  if (best === -1) return null;
  state.current[best] = state.current[best]! - total;
  return best;
}
