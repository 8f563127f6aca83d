// GET /v1/resources[/{kind}[/{namespace}/{name}]] and DELETE /v1/resources/{kind}/{namespace}/{name}.
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { kindParam, pathParam } from "../http/params";
import { planeCall } from "../http/plane-call";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";
import { invalidateSnapshotCache } from "../proxy-api/snapshot-cache";

const ONE = "/v1/resources/:kind/:namespace/:name";

export function resourceRoutes(router: ControlRouter): void {
  router.get("/v1/resources", requireRole("read"), async (_request, env) =>
    json(await planeCall(() => controlPlane(env).list(), { idempotent: true })),
  );

  router.get("/v1/resources/:kind", requireRole("read"), async (request, env) => {
    const kind = kindParam(request.params["kind"]);
    return json(await planeCall(() => controlPlane(env).list(kind), { idempotent: true }));
  });

  router.get(ONE, requireRole("read"), async (request, env) => {
    const { kind, namespace, name } = target(request.params);
    return json(await planeCall(() => controlPlane(env).get(kind, namespace, name), { idempotent: true }));
  });

  router.delete(ONE, requireRole("write"), async (request, env) => {
    const { kind, namespace, name } = target(request.params);
    const actor = request.actor ?? request.role ?? "admin";
    const outcome = await planeCall(() => controlPlane(env).delete(kind, namespace, name, actor), {
      idempotent: false,
    });
    invalidateSnapshotCache();
    return json(outcome);
  });
}

function target(params: Record<string, string>): { kind: string; namespace: string; name: string } {
  return {
    kind: kindParam(params["kind"]),
    namespace: pathParam(params["namespace"], "namespace"),
    name: pathParam(params["name"], "name"),
  };
}
