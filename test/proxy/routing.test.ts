// Routing in the real proxy: Host → service, path/header/query matches, weighted splits, subsets, local replies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../helpers/processes";
import { defaultRoute, json, snapshot, startProxy, type ProxyHarness } from "./harness";

let proxy: ProxyHarness;
let v1: Upstream;
let v2: Upstream;
let ratings: Upstream;

const to = (subset: string, extra: Record<string, unknown> = {}) => ({ service: "default/reviews", subset, ...extra });
const pathMatch = (type: string, value: string) => ({ path: { type, value } });

beforeAll(async () => {
  [v1, v2, ratings] = await Promise.all([startUpstream("v1"), startUpstream("v2"), startUpstream("ratings")]);
  const reviewsRoutes = [
    {
      id: "jason",
      matches: [{ headers: [{ name: "end-user", type: "Exact", value: "jason" }] }],
      backends: [to("v2")],
    },
    {
      id: "spoofed-principal",
      matches: [{ headers: [{ name: "x-mesh-principal", type: "Present" }] }],
      backends: [to("v2")],
    },
    {
      id: "exact",
      matches: [pathMatch("Exact", "/reviews/exact")],
      backends: [to("v1", { requestHeaders: { add: [{ name: "x-backend", value: "v1" }] } })],
      requestHeaders: { set: [{ name: "x-route", value: "exact" }], remove: ["x-remove-me"] },
      responseHeaders: { set: [{ name: "x-served-by-route", value: "exact" }] },
    },
    {
      id: "split",
      matches: [pathMatch("PathPrefix", "/split")],
      backends: [to("v1", { weight: 90 }), to("v2", { weight: 10 })],
    },
    {
      id: "rewrite",
      matches: [pathMatch("PathPrefix", "/old/")],
      backends: [to("v1")],
      rewrite: { path: { type: "ReplacePrefixMatch", value: "/new" } },
    },
    {
      id: "redirect",
      matches: [pathMatch("Exact", "/moved")],
      redirect: { scheme: "https", hostname: "example.com", statusCode: 301 },
    },
    {
      id: "direct",
      matches: [pathMatch("Exact", "/teapot")],
      directResponse: { status: 418, body: "short and stout" },
    },
    {
      id: "cors",
      matches: [pathMatch("PathPrefix", "/cors")],
      backends: [to("v1")],
      cors: {
        allowOrigins: [{ type: "Exact", value: "https://app.example" }],
        allowMethods: ["GET", "POST"],
        maxAgeSeconds: 60,
      },
    },
    {
      id: "query",
      matches: [{ ...pathMatch("PathPrefix", "/reviews"), queryParams: [{ name: "v", type: "Exact", value: "2" }] }],
      backends: [to("v2")],
    },
    { id: "post", matches: [{ ...pathMatch("PathPrefix", "/reviews"), method: "POST" }], backends: [to("v2")] },
    { id: "prefix", matches: [pathMatch("PathPrefix", "/reviews")], backends: [to("v1")] },
  ];
  proxy = await startProxy({
    snapshot: snapshot(1, {
      "default/reviews": {
        endpoints: [
          { id: "v1", url: v1.url, labels: { version: "v1" } },
          { id: "v2", url: v2.url, labels: { version: "v2" } },
        ],
        subsets: { v1: { version: "v1" }, v2: { version: "v2" } },
        routes: reviewsRoutes,
      },
      "prod/ratings": { endpoints: [{ id: "r", url: ratings.url }], routes: [defaultRoute("prod/ratings")] },
    }),
  });
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([v1, v2, ratings].map((u) => u?.close()));
});

const served = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
  const res = await proxy.send("reviews.localhost", path, { method, headers });
  expect(res.status, res.body).toBe(200);
  return json(res).name as string;
};

describe("Host → service", () => {
  it("routes <name>.localhost to default/<name> and <name>.<ns>.localhost to <ns>/<name>", async () => {
    expect(await served("/reviews/1")).toBe("v1");
    const res = await proxy.send("ratings.prod.localhost:8787", "/ratings/0");
    expect(json(res)).toEqual({ name: "ratings", path: "/ratings/0" });
  });

  it("ignores the Host's case", async () => {
    expect((await proxy.send("Reviews.LOCALHOST", "/reviews/1")).status).toBe(200);
  });
});

describe("route matching", () => {
  it("PathPrefix is segment-wise: /reviewsx is not under /reviews", async () => {
    expect(await served("/reviews")).toBe("v1");
    expect(await served("/reviews/")).toBe("v1");
    const res = await proxy.send("reviews.localhost", "/reviewsx");
    expect(res.status).toBe(404);
    expect(res.headers["x-mesh-error"]).toBe("no_route");
  });

  it("an exact path wins by list order and applies its header mutations", async () => {
    const before = v1.requests.length;
    const res = await proxy.send("reviews.localhost", "/reviews/exact", { headers: { "x-remove-me": "1" } });
    expect(json(res).name).toBe("v1");
    expect(res.headers["x-served-by-route"]).toBe("exact");
    const seen = v1.requests[before]!.headers;
    expect(seen["x-route"]).toBe("exact");
    expect(seen["x-backend"]).toBe("v1");
    expect(seen["x-remove-me"]).toBeUndefined();
  });

  it("a header match takes precedence when listed first", async () => {
    expect(await served("/reviews/exact", { "end-user": "jason" })).toBe("v2");
    expect(await served("/reviews/1", { "end-user": "jason" })).toBe("v2");
    expect(await served("/reviews/1", { "end-user": "mallory" })).toBe("v1");
  });

  it("matches query parameters and methods", async () => {
    expect(await served("/reviews/1?v=2")).toBe("v2");
    expect(await served("/reviews/1?v=3")).toBe("v1");
    expect(await served("/reviews/1", {}, "POST")).toBe("v2");
  });

  it("never routes on a spoofed x-mesh-principal (it is stripped before matching)", async () => {
    expect(await served("/reviews/1", { "x-mesh-principal": "cluster.local/ns/default/sa/admin" })).toBe("v1");
  });
});

describe("weighted split", () => {
  it("converges to 90/10 over 1000 requests (within ±3 points)", async () => {
    const counts: Record<string, number> = { v1: 0, v2: 0 };
    for (let batch = 0; batch < 40; batch++) {
      const names = await Promise.all(Array.from({ length: 25 }, () => served("/split")));
      for (const n of names) counts[n]!++;
    }
    expect(counts.v1! + counts.v2!).toBe(1000);
    expect(Math.abs(counts.v2! / 1000 - 0.1)).toBeLessThanOrEqual(0.03);
  });
});

describe("rewrite and local replies", () => {
  it("ReplacePrefixMatch rewrites the path the upstream sees, query kept", async () => {
    const res = await proxy.send("reviews.localhost", "/old/x/y?q=1");
    expect(json(res)).toEqual({ name: "v1", path: "/new/x/y?q=1" });
  });

  it("redirects from the proxy itself", async () => {
    const res = await proxy.send("reviews.localhost:8787", "/moved?a=1");
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("https://example.com/moved?a=1");
  });

  it("answers a direct response", async () => {
    const res = await proxy.send("reviews.localhost", "/teapot");
    expect(res.status).toBe(418);
    expect(res.body).toBe("short and stout");
  });

  it("answers a CORS preflight for an allowed origin and decorates the actual response", async () => {
    const before = v1.requests.length;
    const pre = await proxy.send("reviews.localhost", "/cors", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(pre.headers["access-control-allow-methods"]).toBe("GET,POST");
    expect(pre.headers["access-control-max-age"]).toBe("60");
    expect(v1.requests.length).toBe(before);
    const actual = await proxy.send("reviews.localhost", "/cors", { headers: { origin: "https://app.example" } });
    expect(actual.headers["access-control-allow-origin"]).toBe("https://app.example");
    const other = await proxy.send("reviews.localhost", "/cors", { headers: { origin: "https://evil.example" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
