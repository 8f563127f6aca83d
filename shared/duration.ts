// Go/Kubernetes duration strings (`250ms`, `1.5s`, `1h30m`, `10us`) → milliseconds.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu, also accepted by Go
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

// One `<number><unit>` term; Go allows `1.`, `.5` and `1.5` as numbers.
const TERM = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Longest accepted duration (~290 years, Go's time.Duration limit) in milliseconds. */
export const MAX_DURATION_MS = 9_223_372_036_854;

/**
 * Parses a Go duration string into (possibly fractional) milliseconds. Returns undefined for anything
 * Go's `time.ParseDuration` would reject, and for negative durations, which no mesh setting accepts.
 * A bare `0` is valid, as in Go.
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== "string") return undefined;
  const rest = text.startsWith("+") ? text.slice(1) : text;
  if (rest === "0") return 0;
  if (rest.length === 0 || rest.length > 64) return undefined;
  let total = 0;
  let at = 0;
  while (at < rest.length) {
    TERM.lastIndex = at;
    const m = TERM.exec(rest);
    if (m === null || m.index !== at) return undefined;
    const value = Number(m[1]);
    const unit = UNIT_MS[m[2] ?? ""];
    if (!Number.isFinite(value) || unit === undefined) return undefined;
    total += value * unit;
    at = TERM.lastIndex;
  }
  if (!Number.isFinite(total) || total > MAX_DURATION_MS) return undefined;
  return total;
}

/** Whether `text` is a valid (non-negative) Go duration string. */
export function isDuration(text: unknown): text is string {
  return typeof text === "string" && parseDuration(text) !== undefined;
}

/**
 * A duration in whole milliseconds, rounded up so that a sub-millisecond timeout never becomes 0 (which
 * would mean "no timeout"). Throws on invalid input: callers pass only validated strings.
 */
export function durationToMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new RangeError(`invalid duration: ${text}`);
  return Math.ceil(ms);
}
