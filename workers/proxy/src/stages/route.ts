// Route: pick the destination service's first matching route, or answer 404 no_route.
import { MeshError } from "../../../../shared/errors";
import { matchRoute, type RequestFacts } from "../../../../shared/routing/match-route";
import type { ProxyContext, StageFactory } from "../context";

/**
 * What matching reads of a request: method, path and authority once; the query string parsed only when a condition
 * asks (`searchParams` makes a runtime object, and most routes have no query condition); headers as forwarded.
 */
class RouteRequest implements RequestFacts {
  readonly method: string;
  readonly path: string;
  readonly authority: string;

  constructor(private readonly ctx: ProxyContext) {
    this.method = ctx.request.method;
    this.path = ctx.url.pathname;
    this.authority = ctx.url.host;
  }

  get query(): RequestFacts["query"] {
    return this.ctx.url.searchParams;
  }

  headers(name: string): string | null {
    return this.ctx.headers.get(name);
  }
}

export const route: StageFactory = () =>
  function route(ctx: ProxyContext, next) {
    // Matched against the headers as forwarded: a spoofed x-mesh-principal is already gone by now.
    ctx.match = matchRoute(ctx.destination.table, new RouteRequest(ctx));
    if (ctx.match === null) {
      throw new MeshError(
        "no_route",
        `no route of ${ctx.destination.key} matches ${ctx.request.method} ${ctx.url.pathname}`,
      );
    }
    return next();
  };
