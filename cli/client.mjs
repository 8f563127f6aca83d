// HTTP client for the control API over node:http(s), so `*.localhost` servers work without DNS.

import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { ApiError, ConnectionError } from "./errors.mjs";

/** The token `npm start` prints when MESH_ADMIN_TOKEN is unset; sent only to a loopback server. */
export const DEV_TOKEN = "flaremesh-dev-admin-token";
const TIMEOUT_MS = 30_000;

/** True for hosts that mean this machine: `localhost`, `*.localhost`, 127.0.0.0/8 and ::1. */
export function isLoopback(hostname) {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1";
}

/**
 * @param {{server: string, token?: string}} options
 * @returns {{ server: string, request: (method: string, path: string, init?: {body?: string, contentType?: string}) => Promise<any> }}
 */
export function createClient({ server, token }) {
  let base;
  try {
    base = new URL(server);
  } catch {
    throw new ConnectionError(server, "not a valid URL (expected e.g. http://localhost:8787)");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new ConnectionError(server, `unsupported protocol ${base.protocol}`);
  }
  const bearer = token || (isLoopback(base.hostname) ? DEV_TOKEN : undefined);

  async function request(method, path, init = {}) {
    const url = new URL(path.replace(/^\//, ""), base.href.endsWith("/") ? base.href : `${base.href}/`);
    const headers = { accept: "application/json", "user-agent": "flaremesh-cli" };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (init.body !== undefined) {
      headers["content-type"] = init.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(init.body));
    }
    const response = await send(url, method, headers, init.body, server);
    return decode(response);
  }

  return { server, request };
}

/** One HTTP exchange. Loopback names are dialled at 127.0.0.1 with the Host header kept, as the mesh routes by Host. */
function send(url, method, headers, body, server) {
  const transport = url.protocol === "https:" ? https : http;
  const dialHost = isLoopback(url.hostname) && !/^\[?::1\]?$/.test(url.hostname) ? "127.0.0.1" : url.hostname;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        hostname: dialHost,
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method,
        headers: { host: url.host, ...headers },
        ...(isIP(url.hostname.replace(/^\[|\]$/g, "")) ? {} : { servername: url.hostname }),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (err) => reject(new ConnectionError(server, err.message)));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on("error", (err) => reject(new ConnectionError(server, describe(err))));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function describe(err) {
  const code = /** @type {{code?: string}} */ (err).code;
  if (code === "ECONNREFUSED")
    return `connection refused (${err.message.replace(/^connect ECONNREFUSED /, "")}); is the mesh running? (npm start)`;
  if (code === "ENOTFOUND") return `host not found (${err.message})`;
  return err.message || String(err);
}

/** 2xx → parsed JSON (or null for an empty body); anything else → ApiError with the mesh's code and details. */
function decode({ status, text }) {
  let body;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300) {
    if (body === undefined)
      throw new ApiError(status, "bad_response", `the server answered ${status} with a body that is not JSON`);
    return body;
  }
  const error = body && typeof body === "object" ? body.error : undefined;
  if (error && typeof error === "object" && typeof error.code === "string") {
    throw new ApiError(
      status,
      error.code,
      String(error.message ?? ""),
      Array.isArray(error.details) ? error.details : [],
    );
  }
  const snippet = text.trim().slice(0, 200);
  throw new ApiError(status, `http_${status}`, snippet || `the server answered ${status}`);
}
