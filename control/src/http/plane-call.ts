// Calls into the ControlPlane over RPC: unwraps Results into MeshErrors and retries transient failures of reads.
import type { PlaneResult } from "../plane/result";
import { unwrap } from "../plane/result";

const READ_ATTEMPTS = 3;

/**
 * Runs `call` and returns its value or throws its MeshError. With `idempotent`, an error the runtime marks
 * `retryable` (and not `overloaded`, which retrying would only worsen) is retried with jittered backoff.
 */
export async function planeCall<T>(call: () => Promise<PlaneResult<T>>, options: { idempotent: boolean }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return unwrap(await call());
    } catch (err) {
      if (!options.idempotent || attempt >= READ_ATTEMPTS || !isRetryable(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, (25 << attempt) * (0.5 + Math.random())));
    }
  }
}

export function isRetryable(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const flags = err as { retryable?: unknown; overloaded?: unknown };
  return flags.retryable === true && flags.overloaded !== true;
}
