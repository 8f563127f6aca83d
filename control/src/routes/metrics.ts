// GET /metrics: Prometheus text exposition. For now the config revisions; traffic metrics come with telemetry.
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { planeCall } from "../http/plane-call";
import type { ControlRouter } from "../http/types";

export function metricsRoutes(router: ControlRouter): void {
  router.get("/metrics", requireRole("read"), async (_request, env) => {
    const status = await planeCall(() => controlPlane(env).status(), { idempotent: true });
    const lines = [
      "# HELP mesh_config_revision The configuration revision the control plane serves.",
      "# TYPE mesh_config_revision gauge",
      `mesh_config_revision ${status.revision}`,
      "# HELP mesh_proxy_config_revision The configuration revision each recently seen proxy serves.",
      "# TYPE mesh_proxy_config_revision gauge",
    ];
    for (const proxy of status.proxies) {
      if (proxy.revision === null) continue;
      lines.push(
        `mesh_proxy_config_revision{proxy="${label(proxy.id)}",worker="${label(proxy.worker)}"} ${proxy.revision}`,
      );
    }
    return new Response(lines.join("\n") + "\n", {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    });
  });
}

/** Escapes a label value as the exposition format requires. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
