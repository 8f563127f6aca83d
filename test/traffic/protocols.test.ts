// Protocols and load balancing through the running mesh: WebSocket upgrades (to Workers and origins, routed at
// the upgrade), SSE, streamed uploads, mirrored bodies, gRPC-Web and Connect, cookie hashing and zone preference.
import http from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { openWebSocket, send } from "./client";
import {
  connectResponse,
  grpcWebFrame,
  grpcWebResponse,
  startEcho,
  type EchoAnswer,
  type EchoServer,
} from "./echo-server";
import { applyAndWait } from "./mesh-admin";

let mesh: TestMesh;
let v1: EchoServer;
let v2: EchoServer;

const backendOf = (text: string) => (JSON.parse(text) as EchoAnswer).backend;

beforeAll(async () => {
  [v1, v2] = await Promise.all([startEcho("echo-v1"), startEcho("echo-v2")]);
  mesh = await startMesh({ demo: true });
  const service = (name: string, endpoints: string) => `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: ${name}}
spec:
  endpoints:
${endpoints}
---`;
  const ep = (s: EchoServer, extra = "") => `    - {url: "${s.url}", labels: {version: ${s.name.slice(5)}}${extra}}`;
  await applyAndWait(
    mesh,
    `${service("origin", `${ep(v1)}\n${ep(v2)}`)}
${service("origin-v1", ep(v1))}
${service("origin-v2", ep(v2))}
${service("sticky", `${ep(v1)}\n${ep(v2)}`)}
${service("zoned", `${ep(v1, ", zone: AMS")}\n${ep(v2, ", zone: FRA")}`)}
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: origin}
spec:
  parentRefs: [{group: "", kind: Service, name: origin}]
  rules:
  - matches: [{headers: [{name: version, value: two}]}, {path: {type: PathPrefix, value: /v2}}]
    backendRefs: [{name: origin-v2}]
  - matches: [{path: {type: PathPrefix, value: /legacy}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /chat}}}]
    backendRefs: [{name: origin-v1}]
  - matches: [{path: {type: PathPrefix, value: /mirror}}]
    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: origin-v2}}}]
    backendRefs: [{name: origin-v1}]
  - backendRefs: [{name: origin-v1}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: sticky}
spec:
  host: sticky
  trafficPolicy:
    loadBalancer:
      consistentHash:
        httpCookie: {name: mesh-session, ttl: 60s, path: /}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: [httpbin]
  http:
  - match: [{headers: {x-version: {exact: v2}}}]
    route: [{destination: {host: httpbin, subset: v2}}]
  - route: [{destination: {host: httpbin, subset: v1}}]
`,
    "origin.localhost",
  );
});

afterAll(async () => {
  await mesh?.stop();
  await Promise.all([v1, v2].map((s) => s?.close()));
});

describe("WebSocket", () => {
  it("to a Worker (httpbin /ws), routed at the upgrade by header", async () => {
    for (const [headers, version] of [
      [{}, "v1"],
      [{ "x-version": "v2" }, "v2"],
    ] as const) {
      const ws = await openWebSocket(mesh.port, "httpbin.localhost", "/ws", headers);
      expect(ws.status).toBe(101);
      expect(JSON.parse(await ws.next())).toMatchObject({ event: "connected", service: "httpbin", version });
      expect(await ws.roundTrip("ping 1")).toBe("ping 1");
      expect(await ws.roundTrip("ping 2")).toBe("ping 2");
      ws.close();
    }
  });

  it.each([
    ["default rule", "/chat", {}, "echo-v1", "/chat"],
    ["header match", "/chat", { version: "two" }, "echo-v2", "/chat"],
    ["path match", "/v2/chat", {}, "echo-v2", "/v2/chat"],
    ["URL rewrite applies to the upgrade", "/legacy/room-1", {}, "echo-v1", "/chat/room-1"],
  ])("to an origin: %s", async (_name, path, headers, backend, seenPath) => {
    const server = backend === "echo-v1" ? v1 : v2;
    const before = server.upgrades.length;
    const ws = await openWebSocket(mesh.port, "origin.localhost", path, headers);
    expect(ws.status).toBe(101);
    expect(await ws.roundTrip("hello")).toBe(`${backend}:hello`);
    expect(await ws.roundTrip("again")).toBe(`${backend}:again`);
    ws.close();
    const upgrade = server.upgrades[before]!;
    expect(upgrade.path).toBe(seenPath);
    // The proxy's request stages ran on the handshake too.
    expect(upgrade.headers["x-request-id"]).toMatch(/.+/);
    expect(upgrade.headers["traceparent"]).toMatch(/^00-/);
  });

  it("an upgrade that matches no route is refused like any request", async () => {
    await expect(openWebSocket(mesh.port, "nosuch.localhost", "/ws")).rejects.toThrow(/404 service_not_found/);
  });
});

describe("streaming", () => {
  it("SSE through httpbin /sse: each event arrives as it is sent, not at the end", async () => {
    const arrivals = await new Promise<{ text: string; at: number }[]>((resolve, reject) => {
      const got: { text: string; at: number }[] = [];
      const req = http.request(
        { host: "127.0.0.1", port: mesh.port, path: "/sse?count=4", headers: { host: "httpbin.localhost" } },
        (res) => {
          expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
          res.on("data", (c: Buffer) => got.push({ text: c.toString(), at: Date.now() }));
          res.on("end", () => resolve(got));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
    const all = arrivals.map((a) => a.text).join("");
    for (const id of [0, 1, 2, 3]) expect(all).toContain(`id: ${id}\nevent: message\n`);
    expect(all).toContain("event: done");
    // Events are ~100 ms apart upstream; buffered, they would all arrive in one burst at the end.
    const first = arrivals.find((a) => a.text.includes("id: 0"))!.at;
    const done = arrivals.find((a) => a.text.includes("event: done"))!.at;
    expect(done - first).toBeGreaterThanOrEqual(250);
  });

  it("a 5 MB upload streams to the origin: bytes arrive before the client has finished sending", async () => {
    const chunk = randomBytes(1024 * 1024);
    const total = 5 * chunk.length;
    const result = await new Promise<{ status: number; text: string; progressMidway: number }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: mesh.port,
          path: "/upload",
          method: "POST",
          headers: { host: "origin-v1.localhost", "content-type": "application/octet-stream", "content-length": total },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text, progressMidway }));
        },
      );
      req.on("error", reject);
      let progressMidway = 0;
      req.write(chunk);
      req.write(chunk);
      // Hold the rest back until the origin has seen some of the body: a buffering proxy would never get there.
      const started = Date.now();
      const wait = () => {
        if (v1.uploadProgress > 0) {
          progressMidway = v1.uploadProgress;
          req.write(chunk);
          req.write(chunk);
          req.end(chunk);
        } else if (Date.now() - started > 5000) {
          req.end(chunk.subarray(0, 0));
          reject(new Error("the origin saw no byte before the client finished: the body was buffered"));
        } else setTimeout(wait, 10);
      };
      wait();
    });
    expect(result.status, result.text).toBe(200);
    expect(result.progressMidway).toBeGreaterThan(0);
    expect(result.progressMidway).toBeLessThan(total);
    expect(JSON.parse(result.text)).toEqual({ backend: "echo-v1", bodyBytes: total });
  });
});

describe("mirroring request bodies (HTTPRoute RequestMirror)", () => {
  const mirroredTo = async (marker: string) => {
    for (let i = 0; i < 30; i++) {
      const hit = v2.requests.find((r) => r.headers["x-probe"] === marker);
      if (hit?.bodyBytes !== undefined) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };

  it.each([
    ["a 64 KiB body (the limit) is mirrored", 64 * 1024, true, true],
    ["a 64 KiB + 1 body is not", 64 * 1024 + 1, true, false],
    ["a small chunked body is mirrored", 1000, false, true],
    ["a 200 KiB chunked body is not", 200 * 1024, false, false],
  ])("%s", async (_name, size, withLength, mirrored) => {
    const marker = crypto.randomUUID();
    const body = randomBytes(size);
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: mesh.port,
          path: "/mirror/upload-copy",
          method: "POST",
          headers: {
            host: "origin.localhost",
            "x-probe": marker,
            ...(withLength ? { "content-length": size } : { "transfer-encoding": "chunked" }),
          },
        },
        (r) => {
          let text = "";
          r.on("data", (c: Buffer) => (text += c));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ backend: "echo-v1", bodyBytes: size });
    if (mirrored) expect((await mirroredTo(marker))?.bodyBytes).toBe(size);
    else {
      await new Promise((r) => setTimeout(r, 250));
      expect(v2.requests.find((r) => r.headers["x-probe"] === marker)).toBeUndefined();
    }
  });
});

describe("gRPC-Web and Connect over HTTP/1.1", () => {
  it("Connect unary JSON arrives intact and its answer comes back byte for byte", async () => {
    const body = Buffer.from(JSON.stringify({ name: "flaremesh", n: 42, nested: { list: [1, 2, 3] } }));
    const res = await send(mesh.port, "origin.localhost", "/pkg.Service/Method", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "connect-protocol-version": "1" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["x-echo-request-sha256"]).toBe(createHash("sha256").update(body).digest("hex"));
    expect(res.body.equals(connectResponse(body))).toBe(true);
  });

  it("gRPC-Web binary frames, trailers frame included, pass through byte for byte", async () => {
    const message = grpcWebFrame(0x00, randomBytes(300));
    const res = await send(mesh.port, "origin.localhost", "/pkg.Service/Method", {
      method: "POST",
      body: message,
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1", te: "trailers" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/grpc-web+proto");
    expect(res.headers["x-echo-request-sha256"]).toBe(createHash("sha256").update(message).digest("hex"));
    expect(res.body.equals(grpcWebResponse(message))).toBe(true);
    // The last frame is the trailers frame (flag 0x80), as the gRPC-Web protocol has it.
    const trailerStart = message.length;
    expect(res.body[trailerStart]).toBe(0x80);
    expect(res.body.subarray(trailerStart + 5).toString()).toContain("grpc-status: 0");
  });
});

describe("load balancing", () => {
  it("consistent hash by cookie: the proxy issues the cookie, and the client then sticks to one endpoint", async () => {
    const first = await send(mesh.port, "sticky.localhost", "/");
    const setCookie = String(first.headers["set-cookie"] ?? "");
    expect(setCookie).toMatch(/^mesh-session=[^;]+; Path=\/; Max-Age=60; HttpOnly$/);
    const cookie = setCookie.split(";")[0]!;
    const backends = new Set<string>([backendOf(first.text)]);
    for (let i = 0; i < 12; i++) {
      const res = await send(mesh.port, "sticky.localhost", "/", { headers: { cookie } });
      expect(res.headers["set-cookie"]).toBeUndefined();
      backends.add(backendOf(res.text));
    }
    expect(backends.size).toBe(1);
    // Different sessions spread over both endpoints.
    const spread = new Set<string>();
    for (let i = 0; i < 24; i++) {
      const res = await send(mesh.port, "sticky.localhost", "/", { headers: { cookie: `mesh-session=s${i}` } });
      spread.add(backendOf(res.text));
    }
    expect(spread).toEqual(new Set(["echo-v1", "echo-v2"]));
  });

  // Miniflare takes the request's `cf` object from this header, as Cloudflare's edge would set it.
  const fromColo = (cf: Record<string, string>) => ({ "mf-cf-blob": JSON.stringify(cf) });

  it.each([
    ["a caller in AMS gets the AMS endpoint", { colo: "AMS" }, ["echo-v1"]],
    ["a caller in FRA gets the FRA endpoint", { colo: "FRA" }, ["echo-v2"]],
    ["the region counts like the colo", { colo: "XXX", region: "FRA" }, ["echo-v2"]],
    ["a caller elsewhere gets every endpoint", { colo: "SIN" }, ["echo-v1", "echo-v2"]],
  ])("zone-aware: %s", async (_name, cf, expected) => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const res = await send(mesh.port, "zoned.localhost", "/", { headers: fromColo(cf) });
      expect(res.status, res.text).toBe(200);
      seen.add(backendOf(res.text));
    }
    expect([...seen].sort()).toEqual(expected);
  });
});
