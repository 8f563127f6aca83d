// Route: pick the destination service's first matching route, or answer 404 no_route.
import { MeshError } from "../../../../shared/errors";
import { matchRoute } from "../../../../shared/routing/match-route";
import type { ProxyContext, StageFactory } from "../context";

export const route: StageFactory = () =>
  function route(ctx: ProxyContext, next) {
    // Matched against the headers as forwarded: a spoofed x-mesh-principal is already gone by now.
    const headers = ctx.headers;
    ctx.match = matchRoute(ctx.destination.table, {
      method: ctx.request.method,
      path: ctx.url.pathname,
      query: ctx.url.searchParams,
      headers: (name) => headers.get(name),
      authority: ctx.url.host,
    });
    if (ctx.match === null) {
      throw new MeshError(
        "no_route",
        `no route of ${ctx.destination.key} matches ${ctx.request.method} ${ctx.url.pathname}`,
      );
    }
    return next();
  };
