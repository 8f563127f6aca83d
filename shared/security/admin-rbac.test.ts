// The control API permission matrix.
import { describe, expect, it } from "vitest";
import {
  ADMIN_ROUTES,
  authorize,
  classifyAdminRoute,
  isPublicRoute,
  type AdminRole,
  type AdminRouteName,
} from "./admin-rbac";

const ROLES: AdminRole[] = ["viewer", "editor", "admin"];

// Expected access per route: which roles may call it (public routes: all of them).
const MATRIX: Record<AdminRouteName, AdminRole[]> = {
  healthz: ROLES,
  jwks: ROLES,
  dashboard: ROLES,
  "identity.token": ROLES,
  metrics: ROLES,
  "resources.list": ROLES,
  "resources.listKind": ROLES,
  "resources.get": ROLES,
  "revisions.list": ROLES,
  status: ROLES,
  topology: ROLES,
  apply: ["editor", "admin"],
  "resources.delete": ["editor", "admin"],
  rollback: ["editor", "admin"],
  "credentials.list": ["admin"],
  "credentials.create": ["admin"],
  "credentials.revoke": ["admin"],
  "tokens.list": ["admin"],
  "tokens.create": ["admin"],
  "tokens.revoke": ["admin"],
  "keys.list": ["admin"],
  "keys.rotate": ["admin"],
};

describe("authorize", () => {
  const cases = (Object.keys(MATRIX) as AdminRouteName[]).flatMap((route) =>
    ROLES.map((role) => [role, ADMIN_ROUTES[route].method, route, MATRIX[route].includes(role)] as const),
  );
  it.each(cases)("%s %s %s → %s", (role, method, route, expected) =>
    expect(authorize(role, method, route)).toBe(expected),
  );

  it.each<[AdminRole, string, AdminRouteName, boolean]>([
    ["viewer", "HEAD", "status", true],
    ["viewer", "get", "status", true],
    ["viewer", "DELETE", "status", false], // a mis-routed method does not borrow the GET route's access
    ["admin", "GET", "apply", false],
    ["editor", "POST", "credentials.create", false], // an editor calling an admin-only endpoint
    ["editor", "POST", "keys.rotate", false],
    ["viewer", "GET", "tokens.list", false],
    ["viewer", "GET", "credentials.list", false],
  ])("%s %s %s → %s", (role, method, route, expected) => expect(authorize(role, method, route)).toBe(expected));

  it("refuses unknown roles and routes", () => {
    expect(authorize("root" as AdminRole, "GET", "status")).toBe(false);
    expect(authorize("admin", "GET", "nope" as AdminRouteName)).toBe(false);
    expect(authorize("admin", "GET", "toString" as AdminRouteName)).toBe(false);
  });

  it("marks the routes that need no bearer token", () => {
    expect((Object.keys(ADMIN_ROUTES) as AdminRouteName[]).filter(isPublicRoute)).toEqual([
      "healthz",
      "jwks",
      "dashboard",
      "identity.token",
    ]);
  });
});

describe("classifyAdminRoute", () => {
  it.each([
    ["GET", "/v1/resources", "resources.list"],
    ["GET", "/v1/resources/HTTPRoute", "resources.listKind"],
    ["GET", "/v1/resources/httproute/default/reviews", "resources.get"],
    ["DELETE", "/v1/resources/httproute/default/reviews", "resources.delete"],
    ["POST", "/v1/apply", "apply"],
    ["POST", "/v1/rollback", "rollback"],
    ["DELETE", "/v1/credentials/reviews", "credentials.revoke"],
    ["GET", "/.well-known/jwks.json", "jwks"],
    ["GET", "/.well-knownXjwks.json", null],
    ["HEAD", "/healthz", "healthz"],
    ["PUT", "/v1/apply", null],
    ["GET", "/v1/resources/a/b/c/d", null],
  ])("%s %s → %s", (method, path, expected) => expect(classifyAdminRoute(method, path)).toBe(expected));
});
