// How long and how hard the reliability suites run: short in `npm test`, long through env vars (`npm run test:soak`).

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

/** Soak length (s): ~10 in `npm test`, 60 in `npm run test:soak`. */
export const SOAK_SECONDS = seconds("SOAK_SECONDS", 10);
/** Steady request rate of the soak (requests per second, open loop). */
export const SOAK_RPS = seconds("SOAK_RPS", 40);
/** fast-check runs per property: small in `npm test`, large in `npm run test:chaos`. */
export const FUZZ_RUNS = Math.round(seconds("FUZZ_RUNS", 100));
/** `npm run test:chaos` sets it: longer fuzzing and the results table written to docs/reliability.md. */
export const CHAOS = process.env.CHAOS === "1";

/** Every request the suites send is bounded by this (a hang is a failure, not a stuck test). */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Test timeout for a soak of `s` seconds: the run itself plus start-up and settling. */
export function soakTimeoutMs(s: number): number {
  return (s + 60) * 1000;
}
