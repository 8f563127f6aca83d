// One active health-check probe: GET the endpoint's health path, bounded by the check's timeout.
import type { EndpointModel } from "../../../shared/model/snapshot";

/** The status the endpoint answered, or null (refused, reset, timed out, or not probeable from here). */
export async function probeEndpoint(
  env: object,
  endpoint: EndpointModel,
  path: string,
  timeoutMs: number,
): Promise<number | null> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let res: Response;
    if (endpoint.url !== undefined) {
      const base = new URL(endpoint.url);
      res = await fetch(`${base.origin}${base.pathname.replace(/\/+$/, "")}${path}`, {
        signal,
        redirect: "manual",
        headers: { "user-agent": "flaremesh-health-check" },
      });
    } else {
      // A Worker endpoint is probeable only where the control Worker has a binding to it (same naming as the proxy).
      const binding = workerBinding(env, endpoint.worker ?? "");
      if (binding === null) return null;
      res = await binding.fetch(`http://health-check.localhost${path}`, { signal });
    }
    await res.body?.cancel();
    return res.status;
  } catch {
    return null;
  }
}

function workerBinding(env: object, worker: string): Fetcher | null {
  const name = `WORKER_${worker.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  const binding = (env as Record<string, unknown>)[name];
  return typeof binding === "object" && binding !== null && typeof (binding as Fetcher).fetch === "function"
    ? (binding as Fetcher)
    : null;
}

/** Whether the control plane can probe this endpoint at all. */
export function probeable(env: object, endpoint: EndpointModel): boolean {
  return endpoint.url !== undefined || workerBinding(env, endpoint.worker ?? "") !== null;
}
