// One bounded HTTP request by Host to the local mesh: every request has a deadline, so a hang is a result.
import http from "node:http";
import { REQUEST_TIMEOUT_MS } from "./budget";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
  /** Set instead of `status` when the request failed at the socket or hit its deadline. */
  failure?: "timeout" | "socket";
  detail?: string;
}

export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  /** Send the path verbatim (no normalisation); node:http does that already, this documents it. */
  rawPath?: boolean;
}

/** Never rejects: socket errors and deadlines come back as `failure`. */
export function send(port: number, host: string, path: string, init: SendInit = {}): Promise<Answer> {
  const started = performance.now();
  const timeoutMs = init.timeoutMs ?? REQUEST_TIMEOUT_MS;
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Omit<Answer, "ms">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, ms: performance.now() - started });
    };
    const req = http.request(
      // A fresh connection per request: one request's framing can never leak into the next one's answer.
      {
        hostname: "127.0.0.1",
        port,
        path,
        method: init.method ?? "GET",
        headers: { host, ...init.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", (err) => done({ status: 0, headers: {}, body: "", failure: "socket", detail: String(err) }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 0, headers: {}, body: "", failure: "timeout", detail: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    // A server may answer (e.g. 413) and close while the body is still being written: the write then fails
    // with EPIPE/ECONNRESET, but the answer it sent first is what counts, so it gets a moment to arrive.
    req.on("error", (err) => {
      setTimeout(() => done({ status: 0, headers: {}, body: "", failure: "socket", detail: String(err) }), 100);
    });
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** The mesh error code of an answer (`x-mesh-error`), if the mesh produced it. */
export function meshError(answer: Answer): string | undefined {
  const header = answer.headers["x-mesh-error"];
  return typeof header === "string" ? header : undefined;
}

/** The `error.code` of a JSON error body, if it is one. */
export function errorCode(answer: Answer): string | undefined {
  try {
    const body = JSON.parse(answer.body) as { error?: { code?: unknown } };
    return typeof body.error?.code === "string" ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
