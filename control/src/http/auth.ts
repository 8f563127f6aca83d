// Bearer-token authentication: the bootstrap admin token (secret), the optional read-only token, and
// tokens issued through `POST /v1/tokens`; roles admin / editor / viewer (shared/security/admin-rbac.ts).
import { MeshError } from "../../../shared/errors";
import { authorize, classifyAdminRoute, type AdminRole } from "../../../shared/security/admin-rbac";
import { controlPlane, type ControlEnv } from "../env";
import { ADMIN_TOKEN_PREFIX, looksLikeSecret, secretDigest } from "../identity/secrets";
import type { ControlRequest } from "./types";

export type Role = AdminRole;
/** What a route needs: `read` (viewer and up), `write` (editor and up) or `admin`. */
export type Access = "read" | "write" | "admin";

const NEEDS: Record<Access, number> = { read: 1, write: 2, admin: 3 };
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** Who called: the role, and the actor recorded in history — a role or `<role>:<token id>`, never a secret. */
export interface Caller {
  role: Role;
  actor: string;
}

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

/** The caller: a bootstrap token's role, or an issued token (`fma_…`) looked up by its digest. */
export async function authenticateCaller(request: Request, env: ControlEnv): Promise<Caller | undefined> {
  const role = await authenticate(request, env);
  if (role) return { role, actor: role };
  const presented = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (presented === undefined || !looksLikeSecret(presented, ADMIN_TOKEN_PREFIX)) return undefined;
  const issued = await controlPlane(env).resolveAdminToken(await secretDigest(presented));
  return issued === null ? undefined : { role: issued.role, actor: `${issued.role}:${issued.id}` };
}

/** A route middleware: finishes with 401/403 unless the caller's role grants `access`; records the role. */
export function requireRole(access: Access) {
  return async function requireRoleMiddleware(request: ControlRequest, env: ControlEnv): Promise<undefined> {
    const caller = await authenticateCaller(request, env);
    const role = caller?.role;
    if (!role) {
      const presented = request.headers.has("authorization");
      throw new MeshError("unauthorized", presented ? "invalid bearer token" : "missing bearer token", {
        headers: { "www-authenticate": presented ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE },
      });
    }
    // Both the route's own declaration and the shared RBAC table (when it lists the route) must agree.
    const pathname = new URL(request.url).pathname;
    const listed = classifyAdminRoute(request.method, pathname);
    if (RANK[role] < NEEDS[access] || (listed !== null && !authorize(role, request.method, listed))) {
      throw new MeshError("forbidden", `the ${role} role may not ${request.method} ${pathname}`);
    }
    request.role = role;
    request.actor = caller?.actor ?? role;
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
