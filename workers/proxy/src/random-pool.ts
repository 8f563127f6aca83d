// The proxy isolate's random bytes for ids: a pooled CSPRNG buffer, not a runtime call per id.
/**
 * Trace, span and request ids come from a pool of CSPRNG bytes refilled 4 KiB at a time: one `getRandomValues` call
 * per ~100 requests instead of three per request (docs/benchmarks.md: it was ~7% of the proxy's CPU). Filled on
 * first use, since workerd refuses randomness at global scope.
 */
const RANDOM_POOL_BYTES = 4096;
let randomPool = new Uint8Array(0);
let randomOffset = 0;
/** One reused array per length asked for (8 and 16): a view or copy per id was ~0.2 KB of garbage per request. */
const drawn = new Map<number, Uint8Array>();

/**
 * `n` fresh random bytes, in an array that is reused by the next call for the same `n`: callers read them at once
 * (they become an id's hex), and never keep the array.
 */
export const randomBytes = (n: number): Uint8Array => {
  if (randomOffset + n > randomPool.length) {
    randomPool = crypto.getRandomValues(new Uint8Array(Math.max(RANDOM_POOL_BYTES, n)));
    randomOffset = 0;
  }
  let out = drawn.get(n);
  if (out === undefined) {
    out = new Uint8Array(n);
    drawn.set(n, out);
  }
  for (let i = 0; i < n; i++) out[i] = randomPool[randomOffset + i]!;
  randomOffset += n;
  return out;
};
