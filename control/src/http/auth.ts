// Bearer-token authentication: the admin token may do everything, the read-only token only GET.
import { MeshError } from "../../../shared/errors";
import type { ControlEnv } from "../env";
import type { ControlRequest } from "./types";

export type Role = "admin" | "viewer";
/** What a route needs: `read` (admin or viewer) or `write` (admin). */
export type Access = "read" | "write";

const CHALLENGE = 'Bearer realm="flaremesh"';

/** The role of the request's bearer token, or undefined when it has none or an unknown one. */
export async function authenticate(request: Request, env: ControlEnv): Promise<Role | undefined> {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) return undefined;
  const presented = match[1]!;
  // Compare against both tokens, always, in constant time, so timing reveals neither token nor which matched.
  const [isAdmin, isViewer] = await Promise.all([
    tokenEquals(presented, env.MESH_ADMIN_TOKEN),
    tokenEquals(presented, env.MESH_READONLY_TOKEN),
  ]);
  return isAdmin ? "admin" : isViewer ? "viewer" : undefined;
}

/** A route middleware: finishes with 401/403 unless the caller's role grants `access`; records the role. */
export function requireRole(access: Access) {
  return async function requireRoleMiddleware(request: ControlRequest, env: ControlEnv): Promise<undefined> {
    const role = await authenticate(request, env);
    if (!role) {
      const presented = request.headers.has("authorization");
      throw new MeshError("unauthorized", presented ? "invalid bearer token" : "missing bearer token", {
        headers: { "www-authenticate": presented ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE },
      });
    }
    if (access === "write" && role !== "admin") {
      throw new MeshError("forbidden", `the ${role} role may not ${request.method} ${new URL(request.url).pathname}`);
    }
    request.role = role;
    return undefined;
  };
}

async function tokenEquals(presented: string, expected: string | undefined): Promise<boolean> {
  if (!expected) return false;
  const encoder = new TextEncoder();
  // Hashing first gives equal-length inputs, as timingSafeEqual requires, without leaking the token length.
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(presented)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
