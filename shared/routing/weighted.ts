// Weighted random choice (backend split, Random load balancing); the random number is an argument.

/** Picks an index with probability weight/total; null when every weight is 0 (or the list is empty). */
export function chooseWeighted(items: readonly { weight: number }[], random01: number): number | null {
  let total = 0;
  for (const item of items) total += item.weight > 0 ? item.weight : 0;
  if (total === 0) return null;
  let r = random01 * total;
  let last = -1;
  for (let i = 0; i < items.length; i++) {
    const w = items[i]!.weight;
    if (w <= 0) continue;
    if (r < w) return i;
    r -= w;
    last = i;
  }
  // Only reached through floating-point rounding when random01 is just below 1.
  return last;
}
