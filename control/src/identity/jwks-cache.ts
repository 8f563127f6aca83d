// The isolate's copy of the mesh JWKS (JSON text), shared by the public endpoint and every proxy poll.
import type { ControlEnv } from "../env";
import { controlPlane } from "../env";
import { planeCall } from "../http/plane-call";

/** Keys change once a month or on demand; a rotation through this isolate clears the cache at once. */
const TTL_MS = 5_000;
/** A proxy that meets an unknown kid asks for fresh keys; this is how stale an answer may then be. */
const FRESH_MS = 1_000;

let entry: { text: string; fetchedAt: number } | undefined;
let inflight: Promise<string> | undefined;

/** `{"keys":[…]}` as JSON text. `fresh` (an unknown kid somewhere) accepts only a very recent copy. */
export async function meshJwksText(env: ControlEnv, options: { fresh?: boolean } = {}): Promise<string> {
  const now = Date.now();
  const maxAge = options.fresh ? FRESH_MS : TTL_MS;
  if (entry !== undefined && now - entry.fetchedAt < maxAge) return entry.text;
  inflight ??= planeCall(() => controlPlane(env).jwks(), { idempotent: true })
    .then((jwks) => {
      const text = JSON.stringify(jwks);
      entry = { text, fetchedAt: now };
      return text;
    })
    .finally(() => {
      inflight = undefined;
    });
  return inflight;
}

export function invalidateJwksCache(): void {
  entry = undefined;
}

/**
 * The JWKS for a proxy poll, if it is ready within `ms`: the very first one makes the CA's first key,
 * which must not hold a cold proxy's first configuration load; a proxy that misses it gets it next poll.
 */
export async function meshJwksTextWithin(
  env: ControlEnv,
  ms: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<string | undefined> {
  const loading = meshJwksText(env).catch((err: unknown) => {
    console.warn("control: JWKS unavailable for proxies:", err instanceof Error ? err.message : String(err));
    return undefined;
  });
  waitUntil(loading);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  const jwks = await Promise.race([loading, late]);
  if (timer !== undefined) clearTimeout(timer);
  return jwks;
}
