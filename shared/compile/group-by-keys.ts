// Groups documents under the Service keys each one names, in list order, once per key: an index built in one pass.

/** `keysOf` may repeat a key or yield undefined (a name that resolves to no Service); both are skipped. */
export function groupByKeys<T>(
  items: readonly T[],
  keysOf: (item: T) => Iterable<string | undefined>,
): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      if (key === undefined) continue;
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [item]);
      else list.push(item);
    }
  }
  return byKey;
}
