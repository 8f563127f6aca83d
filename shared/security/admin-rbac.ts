// Control API roles (admin / editor / viewer) and the one table that says which role may call which route.

export type AdminRole = "viewer" | "editor" | "admin";
/** `public` routes need no bearer token (`identity.token` authenticates with a workload credential). */
export type RouteAccess = "public" | AdminRole;

export interface AdminRoute {
  method: "GET" | "POST" | "DELETE";
  /** Path pattern; `{x}` is one segment. Documentation for the router and `classifyAdminRoute`. */
  path: string;
  access: RouteAccess;
}

/**
 * viewer: reads configuration, history, status, topology, metrics — not credentials or tokens (listing
 * them reveals who can act as what). editor: viewer + apply, delete, rollback. admin: everything,
 * including API tokens, workload credentials and signing-key rotation.
 */
export const ADMIN_ROUTES = {
  healthz: { method: "GET", path: "/healthz", access: "public" },
  jwks: { method: "GET", path: "/.well-known/jwks.json", access: "public" },
  dashboard: { method: "GET", path: "/dashboard", access: "public" },
  "identity.token": { method: "POST", path: "/v1/identity/token", access: "public" },
  metrics: { method: "GET", path: "/metrics", access: "viewer" },
  "resources.list": { method: "GET", path: "/v1/resources", access: "viewer" },
  "resources.listKind": { method: "GET", path: "/v1/resources/{kind}", access: "viewer" },
  "resources.get": { method: "GET", path: "/v1/resources/{kind}/{namespace}/{name}", access: "viewer" },
  "revisions.list": { method: "GET", path: "/v1/revisions", access: "viewer" },
  status: { method: "GET", path: "/v1/status", access: "viewer" },
  topology: { method: "GET", path: "/v1/topology", access: "viewer" },
  apply: { method: "POST", path: "/v1/apply", access: "editor" },
  "resources.delete": { method: "DELETE", path: "/v1/resources/{kind}/{namespace}/{name}", access: "editor" },
  rollback: { method: "POST", path: "/v1/rollback", access: "editor" },
  "credentials.list": { method: "GET", path: "/v1/credentials", access: "admin" },
  "credentials.create": { method: "POST", path: "/v1/credentials", access: "admin" },
  "credentials.revoke": { method: "DELETE", path: "/v1/credentials/{service}", access: "admin" },
  "tokens.list": { method: "GET", path: "/v1/tokens", access: "admin" },
  "tokens.create": { method: "POST", path: "/v1/tokens", access: "admin" },
  "tokens.revoke": { method: "DELETE", path: "/v1/tokens/{id}", access: "admin" },
  "keys.list": { method: "GET", path: "/v1/keys", access: "admin" },
  "keys.rotate": { method: "POST", path: "/v1/keys/rotate", access: "admin" },
} as const satisfies Record<string, AdminRoute>;

export type AdminRouteName = keyof typeof ADMIN_ROUTES;

const RANK: Record<AdminRole, number> = { viewer: 1, editor: 2, admin: 3 };

export function isAdminRole(value: unknown): value is AdminRole {
  return value === "viewer" || value === "editor" || value === "admin";
}

/**
 * Whether `role` may call `route` with `method` (HEAD counts as GET). The method must be the route's own:
 * a router that mis-maps a DELETE onto a GET route does not turn a viewer into an editor.
 * Unknown routes are refused.
 */
export function authorize(role: AdminRole, method: string, route: AdminRouteName): boolean {
  const spec: AdminRoute | undefined = Object.hasOwn(ADMIN_ROUTES, route) ? ADMIN_ROUTES[route] : undefined;
  if (spec === undefined || !isAdminRole(role)) return false;
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  if (m !== spec.method) return false;
  return spec.access === "public" || RANK[role] >= RANK[spec.access];
}

/** Whether a route is served without a bearer token. */
export function isPublicRoute(route: AdminRouteName): boolean {
  return Object.hasOwn(ADMIN_ROUTES, route) && ADMIN_ROUTES[route].access === "public";
}

const COMPILED: Array<[AdminRouteName, string, RegExp]> = Object.entries(ADMIN_ROUTES).map(([name, r]) => [
  name as AdminRouteName,
  r.method,
  new RegExp(`^${r.path.replace(/[.]/g, "\\.").replace(/\{[a-z]+\}/g, "[^/]+")}/?$`),
]);

/** The route a method and path address, or null; lets a router ask `authorize` without naming routes. */
export function classifyAdminRoute(method: string, pathname: string): AdminRouteName | null {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  for (const [name, routeMethod, re] of COMPILED) if (routeMethod === m && re.test(pathname)) return name;
  return null;
}
