// The local end of `flaremesh logs --follow`: an HTTP server on loopback that an `http-json` TelemetrySink
// posts batches to; every access-log entry is handed to `onEntry`.

import http from "node:http";
import { decodeBatch, isAccessLog } from "./log-format.mjs";

const MAX_BODY = 8 * 1024 * 1024;

/**
 * Starts the receiver. `POST` any path with a batch (json, ndjson) → 204; bodies above 8 MiB → 413.
 * @param {{host?: string, port?: number, onEntry: (entry: any) => void}} options
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export function startLogReceiver({ host = "127.0.0.1", port = 0, onEntry }) {
  const server = http.createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.writableEnded) return;
      const body = Buffer.concat(chunks).toString("utf8");
      for (const entry of decodeBatch(body, req.headers["content-type"] ?? "")) {
        if (isAccessLog(entry)) onEntry(entry);
      }
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
