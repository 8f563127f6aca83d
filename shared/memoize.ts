// A per-isolate memo for pure functions of a string that run per request over a handful of distinct inputs.

/**
 * `compute`, remembered per input. At `capacity` distinct inputs the memo starts over, so inputs a caller
 * controls cannot grow it without bound. Results are shared between callers: they must not be mutated.
 */
export function memoizeByString<T>(compute: (key: string) => T, capacity = 1024): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    if (memo.has(key)) return memo.get(key) as T;
    const value = compute(key);
    if (memo.size >= capacity) memo.clear();
    memo.set(key, value);
    return value;
  };
}
