// The obvious design flaremesh must beat: the route table lives in a Durable Object (SQLite), and the proxy asks
/* global Response, URLSearchParams */
// it for the route on every request before forwarding. The routes are the same count as the realistic config.
// Two placements: the object in the Worker's own workerd (`ROUTE_TABLE` binding: a microsecond in-process RPC,
// kinder than any deployment), or in another workerd reached over loopback HTTP (`ROUTE_TABLE_URL`), as on
// Cloudflare, where a Durable Object runs on one machine and every other proxy isolate reaches it over the network.
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

/** The route table of this workerd's own Durable Object. */
function localTable(env) {
  return env.ROUTE_TABLE.get(env.ROUTE_TABLE.idFromName("routes"));
}

/** The route table in another workerd: one loopback HTTP request per call, answered by its `/__route` below. */
function remoteTable(env) {
  const call = async (query) => (await fetch(`${env.ROUTE_TABLE_URL}/__route?${query}`)).json();
  return {
    calls: async () => (await call("calls=1")).calls,
    route: async (host, path, tenant) =>
      (await call(new URLSearchParams({ host, path, tenant: tenant ?? "" }).toString())).upstream,
  };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const table = env.ROUTE_TABLE_URL ? remoteTable(env) : localTable(env);
    if (url.pathname === "/__bench/do-calls") return Response.json({ calls: await table.calls() });
    // The far end of remoteTable: this workerd hosts the object.
    if (url.pathname === "/__route") {
      const q = url.searchParams;
      if (q.has("calls")) return Response.json({ calls: await table.calls() });
      return Response.json({ upstream: await table.route(q.get("host"), q.get("path"), q.get("tenant") || null) });
    }
    const upstream = await table.route(url.hostname, url.pathname, request.headers.get("x-tenant"));
    if (upstream === null) return new Response("no route", { status: 404 });
    // Forwarded as the floor forwards (its cheapest form), so that only the route lookup tells the two apart.
    return fetch(`${upstream}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
    });
  },
};
