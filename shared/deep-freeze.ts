// Freezes a value and everything reachable from it, so that objects shared between owners cannot be changed.

/** Freezes `value` and what it holds; parts already frozen are skipped (freezing again what is shared costs nothing). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
