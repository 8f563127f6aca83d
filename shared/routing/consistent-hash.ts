// Consistent hashing by weighted rendezvous (highest random weight): adding or removing an endpoint
// only moves the keys that hashed to it.

/** FNV-1a over UTF-16 code units; fast and stable across runtimes. */
export function fnv1a(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32), since FNV alone mixes short suffixes poorly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The endpoint index for `key`, or null when no endpoint has a positive weight. */
export function pickByHash(key: string, endpoints: readonly { id: string; weight: number }[]): number | null {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < endpoints.length; i++) {
    const { id, weight } = endpoints[i]!;
    if (weight <= 0) continue;
    const u = (fnv1a(`${id}\u0000${key}`) + 0.5) / 4294967296;
    const score = -weight / Math.log(u);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best === -1 ? null : best;
}
