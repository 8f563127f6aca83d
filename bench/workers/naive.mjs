// The obvious design flaremesh must beat: the route table lives in a Durable Object (SQLite), and the proxy asks
/* global Response */
// it for the route on every request before forwarding. The routes are the same count as the realistic config.
import { DurableObject } from "cloudflare:workers";

export class RouteTable extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec(
        "CREATE TABLE IF NOT EXISTS routes (position INTEGER PRIMARY KEY, host TEXT, prefix TEXT, header TEXT, value TEXT, upstream TEXT)",
      );
      if (sql.exec("SELECT count(*) AS n FROM routes").one().n > 0) return;
      const routes = Number(env.ROUTES ?? 200);
      for (let i = 0; i < routes - 1; i++) {
        const prefix = i % 4 === 3 ? "/api/" : `/svc${i}/`;
        sql.exec(
          "INSERT INTO routes VALUES (?, ?, ?, ?, ?, ?)",
          i,
          "bench.localhost",
          prefix,
          i % 2 === 1 ? "x-tenant" : null,
          `t${i}-blue`,
          env.UPSTREAM,
        );
      }
      sql.exec("INSERT INTO routes VALUES (?, ?, ?, NULL, NULL, ?)", routes, "bench.localhost", "/", env.UPSTREAM);
    });
  }

  /** Calls answered so far (the benchmark counts Durable Object requests on the hot path). */
  calls() {
    return this.served ?? 0;
  }

  /** The first route for (host, path, header value) in list order: one SQL query per request. */
  route(host, path, tenant) {
    this.served = (this.served ?? 0) + 1;
    const row = this.ctx.storage.sql
      .exec(
        `SELECT upstream FROM routes WHERE host = ? AND substr(?, 1, length(prefix)) = prefix
         AND (header IS NULL OR value = ?) ORDER BY position LIMIT 1`,
        host,
        path,
        tenant ?? "",
      )
      .toArray()[0];
    return row === undefined ? null : row.upstream;
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const table = env.ROUTE_TABLE.get(env.ROUTE_TABLE.idFromName("routes"));
    if (url.pathname === "/__bench/do-calls") return Response.json({ calls: await table.calls() });
    const upstream = await table.route(url.hostname, url.pathname, request.headers.get("x-tenant"));
    if (upstream === null) return new Response("no route", { status: 404 });
    return fetch(`${upstream}${url.pathname}${url.search}`, request);
  },
};
