// A loopback echo backend for the traffic tests, like the Gateway API conformance echo server: it answers
// which backend served the request and the request it saw; it also speaks WebSocket (a hand-written RFC 6455
// handshake and frame codec), Connect / gRPC-Web echo, and counts streamed upload bytes as they arrive.
import http from "node:http";
import type net from "node:net";
import type { Duplex } from "node:stream";
import { createHash } from "node:crypto";

export interface SeenRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  /** Lower-case names; repeated headers joined with `,` (as the conformance suite compares them). */
  headers: Record<string, string>;
  /** Body bytes received (filled in when the body ends). */
  bodyBytes?: number;
}

export interface EchoAnswer extends SeenRequest {
  backend: string;
  bodyBytes: number;
}

export interface EchoServer {
  name: string;
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Bytes received so far by uploads in progress to `/upload` (for the not-buffered proof). */
  uploadProgress: number;
  /** WebSocket handshakes accepted: the path and headers of each upgrade request. */
  upgrades: SeenRequest[];
  close(): Promise<void>;
}

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export async function startEcho(name: string): Promise<EchoServer> {
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    const seen = seenOf(req);
    echo.requests.push(seen);
    if (req.url?.startsWith("/upload")) return upload(req, res);
    if (req.method === "POST" && req.url?.startsWith("/pkg.")) return rpcEcho(req, res);
    let bytes = 0;
    req.on("data", (c: Buffer) => (bytes += c.length));
    req.on("end", () => {
      seen.bodyBytes = bytes;
      const query = new URL(req.url ?? "/", "http://x").searchParams;
      // `?echo-header=Name:Value` makes the answer carry that response header (response modifier tests).
      for (const spec of query.getAll("echo-header")) {
        const colon = spec.indexOf(":");
        if (colon > 0) res.appendHeader(spec.slice(0, colon), spec.slice(colon + 1));
      }
      const answer: EchoAnswer = { backend: name, ...seen, bodyBytes: bytes };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(answer));
    });
  });

  /** Streams in: answers only at the end, with the byte count; progress is visible while the body flows. */
  function upload(req: http.IncomingMessage, res: http.ServerResponse) {
    echo.uploadProgress = 0;
    req.on("data", (c: Buffer) => (echo.uploadProgress += c.length));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ backend: name, bodyBytes: echo.uploadProgress }));
    });
  }

  /**
   * Connect unary (`application/json`) and gRPC-Web (`application/grpc-web+proto`): the response is a pure
   * function of the request bytes, so the client can check it arrived byte for byte.
   */
  function rpcEcho(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const type = req.headers["content-type"] ?? "";
      res.setHeader("x-echo-backend", name);
      res.setHeader("x-echo-request-sha256", createHash("sha256").update(body).digest("hex"));
      if (type.startsWith("application/grpc-web")) {
        res.setHeader("content-type", type);
        res.end(grpcWebResponse(body));
      } else {
        res.setHeader("content-type", "application/json");
        res.end(connectResponse(body));
      }
    });
  }

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex) => {
    const key = req.headers["sec-websocket-key"];
    if (req.headers.upgrade?.toLowerCase() !== "websocket" || typeof key !== "string") {
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      return;
    }
    echo.upgrades.push(seenOf(req));
    const accept = createHash("sha1")
      .update(key + WS_GUID)
      .digest("base64");
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const frame = decodeFrame(pending);
        if (frame === null) break;
        pending = pending.subarray(frame.length);
        if (frame.opcode === 0x8) {
          socket.end(encodeFrame(0x8, Buffer.alloc(0), false));
          return;
        }
        if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload, false));
        if (frame.opcode === 0x1) socket.write(encodeFrame(0x1, Buffer.from(`${name}:${frame.payload}`), false));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const echo: EchoServer = {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    requests: [],
    uploadProgress: 0,
    upgrades: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return echo;
}

function seenOf(req: http.IncomingMessage): SeenRequest {
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { method: req.method ?? "", path: req.url ?? "", headers };
}

/** Connect unary echo: `{"echo": <request JSON>, "backend": ...}`-free, so the answer depends on the bytes only. */
export function connectResponse(request: Buffer): Buffer {
  return Buffer.concat([Buffer.from('{"echo":'), request, Buffer.from("}")]);
}

/** gRPC-Web: the request's data frame echoed, then a trailers frame (flag 0x80) with grpc-status 0. */
export function grpcWebResponse(request: Buffer): Buffer {
  const trailers = Buffer.from("grpc-status: 0\r\ngrpc-message: OK\r\nx-echo-trailer: yes\r\n");
  return Buffer.concat([request, grpcWebFrame(0x80, trailers)]);
}

/** One gRPC-Web frame: a flag byte, a 4-byte big-endian length, the payload. */
export function grpcWebFrame(flag: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

interface Frame {
  opcode: number;
  payload: Buffer;
  length: number;
}

/** Decodes one complete frame at the start of `buf` (masked or not), or null when more bytes are needed. */
export function decodeFrame(buf: Buffer): Frame | null {
  if (buf.length < 2) return null;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let at = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    at = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    at = 10;
  }
  const maskAt = at;
  if (masked) at += 4;
  if (buf.length < at + len) return null;
  const payload = Buffer.from(buf.subarray(at, at + len));
  if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ buf[maskAt + (i % 4)]!;
  return { opcode, payload, length: at + len };
}

/** Encodes a final frame; clients must mask, servers must not. */
export function encodeFrame(opcode: number, payload: Buffer, mask: boolean): Buffer {
  const len = payload.length;
  const head: number[] = [0x80 | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else throw new Error("frame too large for this test codec");
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), key, body]);
}
