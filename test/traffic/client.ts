// Test clients for the traffic tests: HTTP with raw bodies and a chosen Host, WebSocket over a real upgrade,
// and the local mesh's control API (apply YAML, wait until the proxy serves the revision).
import http from "node:http";
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { decodeFrame, encodeFrame } from "./echo-server";

export interface RawResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function send(
  port: number,
  host: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: { host, ...init.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export interface WebSocketClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The next text message received (messages are queued until read). */
  next(): Promise<string>;
  /** Sends a text message and resolves with the next text message received. */
  roundTrip(text: string): Promise<string>;
  close(): void;
}

/** Opens a WebSocket through the proxy; rejects with the status when the answer is not an upgrade. */
export function openWebSocket(
  port: number,
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<WebSocketClient> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      path,
      headers: {
        host,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": randomBytes(16).toString("base64"),
        ...headers,
      },
    });
    req.on("upgrade", (res, socket: Duplex, head: Buffer) => {
      let pending = head;
      const received: string[] = [];
      const waiting: ((text: string) => void)[] = [];
      const deliver = (text: string) => {
        const waiter = waiting.shift();
        if (waiter) waiter(text);
        else received.push(text);
      };
      const onData = (data: Buffer) => {
        pending = Buffer.concat([pending, data]);
        for (;;) {
          const frame = decodeFrame(pending);
          if (frame === null) break;
          pending = pending.subarray(frame.length);
          if (frame.opcode === 0x1) deliver(frame.payload.toString());
        }
      };
      socket.on("data", onData);
      socket.on("error", () => undefined);
      if (head.length > 0) onData(Buffer.alloc(0));
      const next = () =>
        new Promise<string>((done, fail) => {
          const queued = received.shift();
          if (queued !== undefined) return done(queued);
          const timer = setTimeout(() => fail(new Error("no WebSocket message within 5 s")), 5000);
          waiting.push((text) => {
            clearTimeout(timer);
            done(text);
          });
        });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        next,
        roundTrip: (text) => {
          socket.write(encodeFrame(0x1, Buffer.from(text), true));
          return next();
        },
        close: () => socket.destroy(),
      });
    });
    req.on("response", (res) => {
      res.resume();
      reject(new Error(`no upgrade: ${res.statusCode} ${String(res.headers["x-mesh-error"] ?? "")}`));
    });
    req.on("error", reject);
    req.end();
  });
}
