// POST /v1/dev/faults: local development only — make ProxyApi unreachable or make it answer garbage.
import { MeshError } from "../../../shared/errors";
import { meshEnvironment } from "../env";
import { requireRole } from "../http/auth";
import { readTextBody } from "../http/body";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";
import { devFaults, PROXY_API_FAULTS, type ProxyApiFault } from "../proxy-api/dev-faults";

export function devRoutes(router: ControlRouter): void {
  router.post("/v1/dev/faults", requireRole("write"), async (request, env) => {
    if (meshEnvironment(env) !== "development") throw new MeshError("not_found", "no such endpoint: /v1/dev/faults");
    let body: unknown;
    try {
      body = JSON.parse(await readTextBody(request));
    } catch {
      throw new MeshError("bad_request", 'body must be JSON: {"proxyApi": "ok" | "unreachable" | "invalid"}');
    }
    const fault = (body as { proxyApi?: unknown } | null)?.proxyApi;
    if (!PROXY_API_FAULTS.includes(fault as ProxyApiFault)) {
      throw new MeshError("bad_request", `proxyApi must be one of ${PROXY_API_FAULTS.join(", ")}`, {
        details: [{ path: "proxyApi", message: "unknown fault" }],
      });
    }
    devFaults.proxyApi = fault as ProxyApiFault;
    return json({ proxyApi: devFaults.proxyApi });
  });
}
