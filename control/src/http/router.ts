// The admin API's route table: one group per file in routes/, then 404/405 for whatever matched nothing.
import { Router } from "itty-router";
import { MeshError } from "../../../shared/errors";
import { applyRoutes } from "../routes/apply";
import { adminTokenRoutes } from "../routes/admin-tokens";
import { devRoutes } from "../routes/dev";
import { identityRoutes } from "../routes/identity";
import { metricsRoutes } from "../routes/metrics";
import { publicRoutes } from "../routes/public";
import { resourceRoutes } from "../routes/resources";
import { revisionRoutes } from "../routes/revisions";
import { statusRoutes } from "../routes/status";
import { topologyRoutes } from "../routes/topology";
import { toResponse } from "./respond";
import type { ControlArgs, ControlRequest, ControlRouter } from "./types";

/** Route groups in registration order. Topology, credentials and identity join here with their issues. */
const GROUPS: readonly ((router: ControlRouter) => void)[] = [
  publicRoutes,
  applyRoutes,
  resourceRoutes,
  revisionRoutes,
  statusRoutes,
  metricsRoutes,
  topologyRoutes,
  devRoutes,
  identityRoutes,
  adminTokenRoutes,
];

export function createRouter(): ControlRouter {
  const router: ControlRouter = Router<ControlRequest, ControlArgs, Response>({
    catch: toResponse,
    finally: [(response: Response | undefined, request: ControlRequest) => response ?? unmatched(router, request)],
  });
  for (const group of GROUPS) group(router);
  return router;
}

/** 405 with `Allow` when the path exists under other methods, else 404. */
function unmatched(router: ControlRouter, request: ControlRequest): Response {
  const { pathname } = new URL(request.url);
  const allowed = new Set<string>();
  for (const [method, pattern] of router.routes) if (pattern.test(pathname)) allowed.add(method);
  if (allowed.size === 0) return toResponse(new MeshError("not_found", `no such endpoint: ${pathname}`));
  const allow = [...allowed].sort().join(", ");
  return toResponse(
    new MeshError("method_not_allowed", `${request.method} is not allowed on ${pathname}`, { headers: { allow } }),
  );
}
