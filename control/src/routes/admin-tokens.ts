// Admin API tokens: POST /v1/tokens {role, ttl?} (shown once), GET /v1/tokens, DELETE /v1/tokens/{id}.
import { MeshError } from "../../../shared/errors";
import { parseDuration } from "../../../shared/duration";
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { readTextBody } from "../http/body";
import { pathParam } from "../http/params";
import { planeCall } from "../http/plane-call";
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";

export function adminTokenRoutes(router: ControlRouter): void {
  router.post("/v1/tokens", requireRole("admin"), async (request, env) => {
    let body: unknown;
    try {
      body = JSON.parse(await readTextBody(request, 16 * 1024));
    } catch (err) {
      if (err instanceof MeshError) throw err;
      throw new MeshError(
        "bad_request",
        'the body must be JSON {"role": "admin" | "editor" | "viewer", "ttl"?: "24h"}',
      );
    }
    const { role, ttl } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const actor = request.actor ?? request.role ?? "admin";
    const issued = await planeCall(
      () => controlPlane(env).createAdminToken(String(role ?? ""), ttlSeconds(ttl), actor),
      { idempotent: false },
    );
    return json(issued, 201);
  });

  router.get("/v1/tokens", requireRole("admin"), async (_request, env) =>
    json(await planeCall(() => controlPlane(env).listAdminTokens(), { idempotent: true })),
  );

  router.delete("/v1/tokens/:id", requireRole("admin"), async (request, env) => {
    const id = pathParam(request.params["id"], "id");
    const actor = request.actor ?? request.role ?? "admin";
    return json(await planeCall(() => controlPlane(env).revokeAdminToken(id, actor), { idempotent: false }));
  });
}

/** `ttl` as a number of seconds or a duration string (`24h`, `30m`); undefined = no expiry. */
function ttlSeconds(ttl: unknown): number | undefined {
  if (ttl === undefined || ttl === null) return undefined;
  if (typeof ttl === "number") return ttl;
  if (typeof ttl === "string") {
    const ms = parseDuration(ttl);
    if (ms !== undefined && ms >= 1000) return Math.floor(ms / 1000);
  }
  throw new MeshError("bad_request", "ttl must be a duration such as 24h or a number of seconds", {
    details: [{ path: "ttl", message: "expected a duration" }],
  });
}
