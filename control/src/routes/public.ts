// The unauthenticated endpoints: GET /healthz, GET /.well-known/jwks.json and the dashboard's static page.
import { json } from "../http/respond";
import { meshJwksText } from "../identity/jwks-cache";
import type { ControlRouter } from "../http/types";
import { dashboardHtml } from "./dashboard-page";
import { meshEnvironment } from "../env";

export function publicRoutes(router: ControlRouter): void {
  router.get("/healthz", () => json({ status: "ok" }));

  // The mesh CA's current and previous public keys (each with its root certificate in `x5c`).
  router.get(
    "/.well-known/jwks.json",
    async (_request, env) =>
      new Response(await meshJwksText(env), {
        headers: { "content-type": "application/json", "cache-control": "public, max-age=60" },
      }),
  );

  router.get(
    "/dashboard",
    (_request, env) =>
      // Locally (development, MESH_DEV_TOKEN bound by the local mesh) the page offers the development token.
      new Response(dashboardHtml(meshEnvironment(env) === "development" ? { devToken: env.MESH_DEV_TOKEN } : {}), {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
          "x-content-type-options": "nosniff",
        },
      }),
  );
}
