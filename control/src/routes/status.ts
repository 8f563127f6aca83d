// GET /v1/status: the current revision and the revision each recently seen proxy serves.
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { planeCall } from "../http/plane-call";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";

export function statusRoutes(router: ControlRouter): void {
  router.get("/v1/status", requireRole("read"), async (_request, env) =>
    json(await planeCall(() => controlPlane(env).status(), { idempotent: true })),
  );
}
