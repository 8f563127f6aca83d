// GET /metrics: Prometheus text exposition of the mesh: traffic from the MetricsShards, revisions, CA expiry.
import { PROMETHEUS_CONTENT_TYPE } from "../../../shared/telemetry/index";
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { planeCall } from "../http/plane-call";
import { caMetricLines } from "../identity/ca-metrics";
import type { ControlRouter } from "../http/types";
import { exposition } from "../telemetry/exposition";
import { allTotals } from "../telemetry/shards";

export function metricsRoutes(router: ControlRouter): void {
  router.get("/metrics", requireRole("read"), async (_request, env) => {
    const [status, totals, caLines] = await Promise.all([
      planeCall(() => controlPlane(env).status(), { idempotent: true }),
      allTotals(env),
      caMetricLines(env),
    ]);
    const body = exposition({ revision: status.revision, proxies: status.proxies, totals, extraLines: caLines });
    return new Response(body, { headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" } });
  });
}
