// The proxy isolate's random bytes for ids: a pooled CSPRNG buffer, not a runtime call per id.
/**
 * Trace, span and request ids come from a pool of CSPRNG bytes refilled 4 KiB at a time: one `getRandomValues` call
 * per ~100 requests instead of three per request (docs/benchmarks.md: it was ~7% of the proxy's CPU). Filled on
 * first use, since workerd refuses randomness at global scope.
 */
const RANDOM_POOL_BYTES = 4096;
let randomPool = new Uint8Array(0);
let randomOffset = 0;
export const randomBytes = (n: number): Uint8Array => {
  if (randomOffset + n > randomPool.length) {
    randomPool = crypto.getRandomValues(new Uint8Array(Math.max(RANDOM_POOL_BYTES, n)));
    randomOffset = 0;
  }
  // A view, not a copy: the pool is replaced when used up, never refilled in place.
  const out = randomPool.subarray(randomOffset, randomOffset + n);
  randomOffset += n;
  return out;
};
