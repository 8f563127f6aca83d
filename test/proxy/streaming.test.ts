// Bodies through the real proxy: streamed both ways (never buffered), to origins and Workers, and WebSocket upgrades.
import http from "node:http";
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../helpers/processes";
import { defaultRoute, json, snapshot, startProxy, type ProxyHarness } from "./harness";

let proxy: ProxyHarness;
let streaming: Upstream;
let bodies: Upstream;
/** Resolved by the test once it has seen the first streamed chunk; the upstream only then finishes. */
let releaseStream: () => void = () => {};

beforeAll(async () => {
  streaming = await startUpstream("stream", (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("first\n");
    const done = new Promise<void>((resolve) => {
      releaseStream = resolve;
      setTimeout(resolve, 3000);
    });
    void done.then(() => res.end("second\n"));
  });
  bodies = await startUpstream("bodies", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res.end(JSON.stringify({ received: Buffer.concat(chunks).toString() })));
  });
  proxy = await startProxy({
    snapshot: snapshot(1, {
      "default/stream": { endpoints: [{ id: "s", url: streaming.url }], routes: [defaultRoute("default/stream")] },
      "default/bodies": { endpoints: [{ id: "x", url: bodies.url }], routes: [defaultRoute("default/bodies")] },
      "default/echo": { endpoints: [{ id: "w", worker: "echo" }], routes: [defaultRoute("default/echo")] },
    }),
  });
});

afterAll(async () => {
  releaseStream();
  await proxy?.stop();
  await Promise.all([streaming, bodies].map((u) => u?.close()));
});

describe("bodies and streaming", () => {
  it("streams the response: the first chunk arrives before the upstream finishes", async () => {
    const firstChunkBeforeEnd = await new Promise<boolean>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: proxy.port, path: "/", headers: { host: "stream.localhost" } },
        (res) => {
          let chunks = 0;
          res.on("data", (c: Buffer) => {
            if (chunks++ === 0) {
              const ok = c.toString().startsWith("first");
              releaseStream();
              resolve(ok);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
      setTimeout(() => resolve(false), 2500);
    });
    expect(firstChunkBeforeEnd).toBe(true);
  });

  it("forwards a request body to an origin", async () => {
    const body = "x".repeat(200_000);
    const res = await proxy.send("bodies.localhost", "/", {
      method: "POST",
      body,
      headers: { "content-type": "text/plain" },
    });
    expect(json(res).received.length).toBe(body.length);
  });

  it("reaches a Worker endpoint through its service binding, with the request's host and path", async () => {
    const res = await proxy.send("echo.localhost", "/hello?x=1", { method: "PUT", body: "payload" });
    expect(json(res)).toMatchObject({
      worker: "echo",
      url: "http://echo.localhost/hello?x=1",
      method: "PUT",
      body: "payload",
    });
  });
});

describe("WebSocket", () => {
  it("passes an upgrade to a Worker endpoint and returns its 101 as is", async () => {
    const { status, socket } = await new Promise<{ status: number; socket: Duplex }>((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1",
        port: proxy.port,
        path: "/ws",
        headers: {
          host: "echo.localhost",
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-version": "13",
          "sec-websocket-key": randomBytes(16).toString("base64"),
        },
      });
      req.on("upgrade", (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
      req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(101);
    const reply = await new Promise<string>((resolve) => {
      socket.once("data", (frame: Buffer) => resolve(frame.subarray(2, 2 + (frame[1]! & 0x7f)).toString()));
      socket.write(maskedTextFrame("hi"));
    });
    socket.destroy();
    expect(reply).toBe("echo:hi");
  });
});

/** A client → server WebSocket text frame (clients must mask). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}
