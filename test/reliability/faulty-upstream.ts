// Loopback upstreams with one fault each: refuse, reset, hang, slow body, a 5xx burst, flapping.
import http from "node:http";
import type net from "node:net";
import { freePort } from "../helpers/processes";

export type Fault = "refuse" | "reset" | "hang" | "slow-body" | "5xx-burst" | "flapping";

export const FAULTS: readonly Fault[] = ["refuse", "reset", "hang", "slow-body", "5xx-burst", "flapping"];

/** Requests the first BURST answers of a `5xx-burst` upstream fail with 503, then it recovers. */
export const BURST = 2;
/** A `slow-body` upstream sends its headers at once, then SLOW_CHUNKS chunks SLOW_CHUNK_MS apart. */
export const SLOW_CHUNKS = 4;
export const SLOW_CHUNK_MS = 100;

export interface FaultyUpstream {
  url: string;
  /** Requests that reached it (for `refuse`, always 0). */
  hits: number;
  /** Requests whose connection the proxy closed before the answer ended (aborted tries). */
  aborted: number;
  close(): Promise<void>;
}

export async function faultyUpstream(fault: Fault | "healthy"): Promise<FaultyUpstream> {
  if (fault === "refuse") {
    // A port nobody listens on: every connection is refused.
    const port = await freePort();
    return { url: `http://127.0.0.1:${port}`, hits: 0, aborted: 0, close: async () => {} };
  }
  const sockets = new Set<net.Socket>();
  const state: FaultyUpstream = { url: "", hits: 0, aborted: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    const n = state.hits++;
    let finished = false;
    res.on("finish", () => (finished = true));
    res.on("close", () => {
      if (!finished) state.aborted++;
    });
    const ok = () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, n }));
    const fail = () => res.writeHead(503, { "content-type": "text/plain" }).end(`upstream 503 #${n}`);
    switch (fault) {
      case "healthy":
        return ok();
      case "reset":
        req.socket.destroy();
        return;
      case "hang":
        return;
      case "slow-body": {
        res.writeHead(200, { "content-type": "text/plain" });
        let sent = 0;
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          res.write(`chunk ${sent}\n`);
          if (++sent === SLOW_CHUNKS) {
            clearInterval(timer);
            res.end();
          }
        }, SLOW_CHUNK_MS);
        return;
      }
      case "5xx-burst":
        return n < BURST ? fail() : ok();
      case "flapping":
        return n % 2 === 0 ? fail() : ok();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  state.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
