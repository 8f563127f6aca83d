// MeshConfig requestId.setInResponse: false — responses go back without x-request-id, and an upstream answer that no
// stage edits is passed through as the service sent it; every response edit still happens, on a copy.
import http from "node:http";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../helpers/processes";
import { defaultRoute, eventually, json, snapshot, startProxy, type ProxyHarness } from "./harness";

let proxy: ProxyHarness;
let plain: Upstream;
let chatty: Upstream;
let proxyish: Upstream;
let flaky: Upstream;
let gzipped: Upstream;
const NO_ECHO = { requestId: { setInResponse: false } };

const services = () => ({
  "default/plain": { endpoints: [{ id: "p", url: plain.url }], routes: [defaultRoute("default/plain")] },
  "default/chatty": { endpoints: [{ id: "c", url: chatty.url }], routes: [defaultRoute("default/chatty")] },
  "default/proxyish": { endpoints: [{ id: "x", url: proxyish.url }], routes: [defaultRoute("default/proxyish")] },
  "default/edited": {
    endpoints: [{ id: "p", url: plain.url }],
    routes: [
      {
        id: "edited",
        matches: [],
        backends: [{ service: "default/edited", responseHeaders: { add: [{ name: "x-backend-edit", value: "b" }] } }],
        responseHeaders: { set: [{ name: "x-route-edit", value: "r" }], remove: ["x-upstream-only"] },
        cors: { allowOrigins: [{ type: "Exact", value: "https://app.example" }], exposeHeaders: ["x-route-edit"] },
      },
    ],
  },
  "default/sticky": {
    endpoints: [{ id: "p", url: plain.url }],
    routes: [defaultRoute("default/sticky")],
    policy: { loadBalancer: { type: "ConsistentHash", hash: { cookie: { name: "lb", ttlSeconds: 60 } } } },
  },
  "default/gzipped": { endpoints: [{ id: "g", url: gzipped.url }], routes: [defaultRoute("default/gzipped")] },
  "default/gzipped-edited": {
    endpoints: [{ id: "g", url: gzipped.url }],
    routes: [
      defaultRoute("default/gzipped-edited", { responseHeaders: { set: [{ name: "x-route-edit", value: "r" }] } }),
    ],
  },
  "default/flaky": {
    endpoints: [{ id: "f", url: flaky.url }],
    routes: [
      defaultRoute("default/flaky", {
        retry: { attempts: 2, retryOn: ["5xx"] },
        responseHeaders: { set: [{ name: "x-route-edit", value: "r" }] },
      }),
    ],
  },
});

beforeAll(async () => {
  plain = await startUpstream("plain", (_req, res) => {
    // Besides Node's own Connection: keep-alive and Keep-Alive, hop-by-hop headers the runtime leaves out itself.
    res.writeHead(200, {
      "content-type": "application/json",
      "x-upstream-only": "1",
      "x-end-to-end": "kept",
      te: "trailers",
      trailer: "x-checksum",
    });
    res.end(JSON.stringify({ name: "plain" }));
  });
  // Connection-scoped headers of its own, which must not reach the client even when nothing else edits the answer:
  // the runtime leaves out Keep-Alive and TE itself, but sends on what Connection names and Proxy-* headers.
  chatty = await startUpstream("chatty", (_req, res) => {
    res.writeHead(200, {
      connection: "keep-alive, x-hop-secret",
      "keep-alive": "timeout=5",
      te: "trailers",
      "x-hop-secret": "1",
      "x-end-to-end": "kept",
    });
    res.end("ok");
  });
  proxyish = await startUpstream("proxyish", (_req, res) => {
    res.writeHead(200, { "proxy-authenticate": "Basic realm=upstream", "x-end-to-end": "kept" });
    res.end("ok");
  });
  // A compressed answer: passed through or copied, the client must get a body its Content-Encoding describes.
  gzipped = await startUpstream("gzipped", (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipSync(JSON.stringify({ name: "gzipped", padding: "x".repeat(2000) })));
  });
  // Every other request fails with a 503 (answered by the proxy's retry).
  let n = 0;
  flaky = await startUpstream("flaky", (_req, res) => {
    res.writeHead(n++ % 2 === 0 ? 503 : 200, { "x-try": String(n) });
    res.end(n % 2 === 1 ? "unavailable" : "ok");
  });
  proxy = await startProxy({ snapshot: snapshot(1, services(), NO_ECHO) });
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([plain, chatty, proxyish, flaky, gzipped].map((u) => u?.close()));
});

/** GET with `Accept-Encoding: gzip`; the body decoded as its Content-Encoding says. */
function getDecoded(host: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port: proxy.port, path: "/", headers: { host, "accept-encoding": "gzip" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body.toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

const sentUpstream = (u: Upstream) => u.requests[u.requests.length - 1]!.headers;

describe("MeshConfig requestId.setInResponse: false", () => {
  it("answers without x-request-id; the service still receives it", async () => {
    const res = await proxy.send("plain.localhost", "/", { headers: { "x-request-id": "req-abc" } });
    expect(res.status).toBe(200);
    expect(json(res)).toEqual({ name: "plain" });
    expect(res.headers["x-request-id"]).toBeUndefined();
    expect(res.headers["x-end-to-end"]).toBe("kept");
    // The origin's own Connection: keep-alive / Keep-Alive, TE and Trailer are its connection's, not the client's.
    for (const h of ["keep-alive", "te", "trailer"]) expect(res.headers[h], h).toBeUndefined();
    expect(sentUpstream(plain)["x-request-id"]).toBe("req-abc");
  });

  it("still strips the upstream answer's hop-by-hop headers: the ones Connection names, Proxy-*", async () => {
    for (const host of ["chatty.localhost", "proxyish.localhost"]) {
      const res = await proxy.send(host, "/");
      expect(res.status).toBe(200);
      expect(res.body).toBe("ok");
      expect(res.headers["x-end-to-end"]).toBe("kept");
      for (const h of ["x-hop-secret", "keep-alive", "te", "proxy-authenticate"])
        expect(res.headers[h], h).toBeUndefined();
    }
  });

  it("applies the route's, the backend's and CORS response edits together", async () => {
    const res = await proxy.send("edited.localhost", "/", { headers: { origin: "https://app.example" } });
    expect(res.status).toBe(200);
    expect(res.headers["x-route-edit"]).toBe("r");
    expect(res.headers["x-backend-edit"]).toBe("b");
    expect(res.headers["x-upstream-only"]).toBeUndefined();
    expect(res.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(res.headers["access-control-expose-headers"]).toBe("x-route-edit");
    expect(res.headers["x-request-id"]).toBeUndefined();
    expect(json(res)).toEqual({ name: "plain" });
  });

  it("adds the session cookie the balancer minted", async () => {
    const res = await proxy.send("sticky.localhost", "/");
    expect(res.status).toBe(200);
    expect(String(res.headers["set-cookie"])).toMatch(/^lb=[^;]+;.*Max-Age=60/);
  });

  it("edits the answer of the try that succeeded after a retry", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await proxy.send("flaky.localhost", "/");
      expect(res.status).toBe(200);
      expect(res.body).toBe("ok");
      expect(res.headers["x-route-edit"]).toBe("r");
      expect(Number(res.headers["x-try"]) % 2).toBe(0);
    }
  });

  it("answers a compressed body the client can decode, passed through or edited", async () => {
    for (const host of ["gzipped.localhost", "gzipped-edited.localhost"]) {
      const res = await getDecoded(host);
      expect(res.status, host).toBe(200);
      expect(JSON.parse(res.body), host).toMatchObject({ name: "gzipped" });
    }
    expect((await getDecoded("gzipped-edited.localhost")).headers["x-route-edit"]).toBe("r");
  });

  it("echoes x-request-id again once a revision drops the setting", async () => {
    proxy.control.snapshot = snapshot(2, services());
    await eventually(
      async () => (await proxy.send("plain.localhost", "/")).headers["x-request-id"] !== undefined,
      5000,
    );
    const res = await proxy.send("plain.localhost", "/", { headers: { "x-request-id": "req-def" } });
    expect(res.headers["x-request-id"]).toBe("req-def");
    expect(res.headers["x-end-to-end"]).toBe("kept");
  });
});
