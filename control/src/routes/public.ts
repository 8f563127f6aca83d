// The unauthenticated endpoints: GET /healthz, GET /.well-known/jwks.json and the dashboard's static page.
import { json } from "../http/respond";
import type { ControlRouter } from "../http/types";
import { DASHBOARD_HTML } from "./dashboard-page";

export function publicRoutes(router: ControlRouter): void {
  router.get("/healthz", () => json({ status: "ok" }));

  // Identity tokens and their signing keys arrive with the identity issue; until then there are no keys.
  router.get("/.well-known/jwks.json", () => json({ keys: [] }, 200, { "cache-control": "public, max-age=60" }));

  router.get(
    "/dashboard",
    () =>
      new Response(DASHBOARD_HTML, {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
          "x-content-type-options": "nosniff",
        },
      }),
  );
}
