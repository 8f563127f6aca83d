// POST /v1/apply: parse, validate and apply resources as one revision (or report with ?dryRun=true).
import { MeshError } from "../../../shared/errors";
import { parseDocuments } from "../../../shared/validate/index";
import { controlPlane, meshEnvironment } from "../env";
import { requireRole } from "../http/auth";
import { mediaTypeOf, readTextBody } from "../http/body";
import { booleanQuery } from "../http/params";
import { planeCall } from "../http/plane-call";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";
import { invalidateSnapshotCache } from "../proxy-api/snapshot-cache";

export function applyRoutes(router: ControlRouter): void {
  router.post("/v1/apply", requireRole("write"), async (request, env) => {
    const dryRun = booleanQuery(request.query["dryRun"], "dryRun");
    const media = mediaTypeOf(request);
    const documents = parseDocuments(await readTextBody(request), media);
    if (documents.length === 0) throw new MeshError("bad_request", "the request contains no documents");
    const outcome = await planeCall(
      () =>
        controlPlane(env).apply(documents, {
          dryRun,
          actor: request.actor ?? request.role ?? "admin",
          environment: meshEnvironment(env),
        }),
      { idempotent: false },
    );
    if (!dryRun) invalidateSnapshotCache();
    return json(outcome);
  });
}
