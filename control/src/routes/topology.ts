// GET /v1/topology: the service graph from live traffic (the MetricsShards' recent deltas).
import { MeshError } from "../../../shared/errors";
import { topologyFromAggregates, topologyFromDeltas } from "../../../shared/telemetry/index";
import { requireRole } from "../http/auth";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";
import { allRecent, allTotals } from "../telemetry/shards";

const DEFAULT_WINDOW_S = 60;
const MAX_WINDOW_S = 600;

export function topologyRoutes(router: ControlRouter): void {
  router.get("/v1/topology", requireRole("read"), async (request, env) => {
    const raw = new URL(request.url).searchParams.get("window");
    const seconds = raw === null ? DEFAULT_WINDOW_S : Number(raw);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WINDOW_S) {
      throw new MeshError("bad_request", `window must be a whole number of seconds between 1 and ${MAX_WINDOW_S}`, {
        details: [{ path: "window", message: "out of range" }],
      });
    }
    const nowMs = Date.now();
    const [recent, totals] = await Promise.all([allRecent(env, seconds * 1000), allTotals(env)]);
    const live = topologyFromDeltas(recent, { nowMs, windowMs: seconds * 1000 });
    // Every node ever seen stays on the graph (idle services do not vanish); edges are the live window's.
    const nodes = new Map(topologyFromAggregates(totals).nodes.map((n) => [n.id, n]));
    for (const node of live.nodes) nodes.set(node.id, node);
    return json({
      windowSeconds: seconds,
      nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
      edges: live.edges,
    });
  });
}
