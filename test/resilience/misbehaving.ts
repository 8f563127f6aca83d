// Real upstreams on loopback that misbehave on purpose, counting what they received.
import http from "node:http";
import type net from "node:net";

export type Behaviour =
  | { kind: "ok"; name: string; delayMs?: number }
  | { kind: "status"; status: number }
  | { kind: "hang" }
  | { kind: "reset-mid-response" }
  | { kind: "accept-then-close" };

export interface Misbehaving {
  url: string;
  port: number;
  /** Requests received (one per try that reached it). */
  hits: { method: string; url: string; body: string; headers: http.IncomingHttpHeaders }[];
  /** Requests whose connection the client (the proxy) closed before an answer: aborted subrequests. */
  aborted: number;
  /** Change what it does from now on. */
  behave(b: Behaviour): void;
  /** What its health path answers (200 by default). */
  setHealth(status: number): void;
  close(): Promise<void>;
}

export async function misbehaving(initial: Behaviour, healthPath = "/healthz"): Promise<Misbehaving> {
  let behaviour = initial;
  let healthStatus = 200;
  const sockets = new Set<net.Socket>();
  const state: Misbehaving = {
    url: "",
    port: 0,
    hits: [],
    aborted: 0,
    behave(b) {
      behaviour = b;
    },
    setHealth(status) {
      healthStatus = status;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === healthPath) {
        res.writeHead(healthStatus).end();
        return;
      }
      state.hits.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body: Buffer.concat(chunks).toString(),
        headers: req.headers,
      });
      const b = behaviour;
      let answered = false;
      res.on("finish", () => (answered = true));
      res.on("close", () => {
        if (!answered) state.aborted++;
      });
      switch (b.kind) {
        case "ok": {
          const send = () => {
            if (res.destroyed) return;
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify({ name: b.name, path: req.url }));
          };
          if (b.delayMs) setTimeout(send, b.delayMs);
          else send();
          return;
        }
        case "status":
          res.writeHead(b.status, { "content-type": "text/plain" }).end(`upstream says ${b.status}`);
          return;
        case "hang":
          return;
        case "reset-mid-response":
          res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
          res.write("partial");
          setTimeout(() => req.socket.destroy(), 20);
          return;
        case "accept-then-close":
          req.socket.destroy();
          return;
      }
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as net.AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}
