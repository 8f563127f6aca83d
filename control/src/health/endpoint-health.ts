// What ProxyApi adds to a config poll: the HealthChecker's endpoint health (cached per control isolate, like
// the snapshot) and, in the background, the ejections the polling proxy reported.
import type { EndpointHealthModel } from "../../../shared/model/resilience";
import type { ControlEnv } from "../env";
import type { HealthChecker } from "./health-checker";

/** Proxies poll every ~250 ms; the HealthChecker is asked at most this often per control isolate. */
export const HEALTH_CACHE_MS = 250;

let cached: { health: EndpointHealthModel; fetchedAt: number; revision: number } | null = null;
let inflight: Promise<EndpointHealthModel | undefined> | null = null;

export function healthChecker(namespace: DurableObjectNamespace<HealthChecker>): DurableObjectStub<HealthChecker> {
  return namespace.getByName("mesh");
}

/** The current endpoint health, or undefined when the HealthChecker cannot answer (proxies keep what they have). */
export async function currentHealth(
  env: ControlEnv,
  revision: number,
  now: number,
): Promise<EndpointHealthModel | undefined> {
  const namespace = env.HEALTH_CHECKER;
  if (namespace === undefined) return undefined;
  if (cached !== null && cached.revision === revision && now - cached.fetchedAt < HEALTH_CACHE_MS) return cached.health;
  inflight ??= healthChecker(namespace)
    .health(revision)
    .then((health) => {
      cached = { health: health as EndpointHealthModel, fetchedAt: now, revision };
      return cached.health;
    })
    .catch((err: unknown) => {
      console.warn("control: endpoint health unavailable:", err instanceof Error ? err.message : err);
      return cached?.health;
    })
    .finally(() => (inflight = null));
  return inflight;
}

/** Hands a proxy's ejection report to the HealthChecker; the cache is dropped so the next poll carries it. */
export async function forwardEjections(env: ControlEnv, report: unknown): Promise<void> {
  const namespace = env.HEALTH_CHECKER;
  if (namespace === undefined || typeof report !== "object" || report === null) return;
  try {
    const merged = await healthChecker(namespace).reportEjections(report);
    if (merged > 0) cached = null;
  } catch (err) {
    console.warn("control: could not record reported ejections:", err instanceof Error ? err.message : err);
  }
}
