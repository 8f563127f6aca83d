// GET /v1/revisions (the history) and POST /v1/rollback {revision}.
import { MeshError } from "../../../shared/errors";
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { readTextBody } from "../http/body";
import { planeCall } from "../http/plane-call";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";
import { invalidateSnapshotCache } from "../proxy-api/snapshot-cache";

export function revisionRoutes(router: ControlRouter): void {
  router.get("/v1/revisions", requireRole("read"), async (_request, env) =>
    json(await planeCall(() => controlPlane(env).revisions(), { idempotent: true })),
  );

  router.post("/v1/rollback", requireRole("write"), async (request, env) => {
    const revision = rollbackTarget(await readTextBody(request));
    const actor = request.actor ?? request.role ?? "admin";
    const outcome = await planeCall(() => controlPlane(env).rollback(revision, actor), { idempotent: false });
    invalidateSnapshotCache();
    return json({ revision: outcome.revision, rolledBackTo: revision, changed: outcome.changed });
  });
}

/** The body must be JSON `{"revision": <non-negative integer>}`. */
function rollbackTarget(body: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MeshError("bad_request", 'body must be JSON {"revision": <number>}');
  }
  const revision =
    typeof parsed === "object" && parsed !== null ? (parsed as { revision?: unknown }).revision : undefined;
  if (typeof revision !== "number" || !Number.isSafeInteger(revision) || revision < 0) {
    throw new MeshError("bad_request", "revision must be a non-negative integer", {
      details: [{ path: "revision", message: "expected a non-negative integer" }],
    });
  }
  return revision;
}
