// httpbin (v1 and v2 from one codebase): echo, status, delay, streaming and WebSocket endpoints for mesh tasks.

import type { DemoEnv } from "../../lib/env";
import { health, jsonResponse, notFound } from "../../lib/json-response";
import { describeGet, describeWithBody, headersObject, origin } from "./echo";
import { chooseStatus, NULL_BODY_STATUSES } from "./status";
import { serverSentEvents, streamLines } from "./streams";
import { websocketEcho } from "./websocket";
import { recentRequests, remember } from "./recent";

const MAX_DELAY_SECONDS = 10;
const ENDPOINTS = [
  "/get",
  "/headers",
  "/status/{codes}",
  "/delay/{seconds}",
  "/anything/...",
  "/post",
  "/ip",
  "/uuid",
  "/stream/{n}",
  "/sse",
  "/ws",
  "/redirect/{n}",
  "/response-headers",
  "/health",
  "/requests",
];
const BODY_METHODS: Record<string, string> = { "/post": "POST", "/put": "PUT", "/patch": "PATCH", "/delete": "DELETE" };

function statusResponse(env: DemoEnv, spec: string): Response {
  const status = chooseStatus(spec, Math.random());
  if (status === null) return jsonResponse(env, { error: `invalid status code: ${spec}` }, 400);
  if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status });
  const headers: Record<string, string> = status >= 300 && status < 400 ? { location: "/redirect/1" } : {};
  return jsonResponse(env, { status }, status, headers);
}

async function delayed(request: Request, env: DemoEnv, seconds: number): Promise<Response> {
  if (!Number.isFinite(seconds) || seconds < 0) return jsonResponse(env, { error: "invalid delay" }, 400);
  const wait = Math.min(seconds, MAX_DELAY_SECONDS);
  await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  return jsonResponse(env, { ...describeGet(request), delay: wait });
}

/** `/redirect/{n}`: n hops of 302, then `/get`. */
function redirect(env: DemoEnv, hops: number): Response {
  if (!Number.isInteger(hops) || hops < 1) return jsonResponse(env, { error: "invalid redirect count" }, 400);
  const location = hops === 1 ? "/get" : `/redirect/${hops - 1}`;
  return jsonResponse(env, { location }, 302, { location });
}

/** `/response-headers?k=v`: sets the given response headers (for response header filters). */
function responseHeaders(request: Request, env: DemoEnv): Response {
  const url = new URL(request.url);
  const headers = new Headers();
  url.searchParams.forEach((value, key) => headers.append(key, value));
  return jsonResponse(env, { headers: Object.fromEntries(url.searchParams) }, 200, headers);
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === "/health") return health(env);
    if (path === "/requests") return jsonResponse(env, { requests: recentRequests() });
    remember(request);
    if (path === "/") return jsonResponse(env, { endpoints: ENDPOINTS });
    if (path === "/get") return jsonResponse(env, describeGet(request));
    if (path === "/headers") return jsonResponse(env, { headers: headersObject(request.headers) });
    if (path === "/ip") return jsonResponse(env, { origin: origin(request.headers) });
    if (path === "/uuid") return jsonResponse(env, { uuid: crypto.randomUUID() });
    if (path === "/user-agent") return jsonResponse(env, { "user-agent": request.headers.get("user-agent") });
    if (path === "/response-headers") return responseHeaders(request, env);
    if (path === "/ws") return websocketEcho(request, env);
    if (path === "/sse") return serverSentEvents(env, ctx, Number(url.searchParams.get("count") ?? 5) || 5);
    if (path === "/anything" || path.startsWith("/anything/")) {
      return jsonResponse(env, await describeWithBody(request));
    }
    const method = BODY_METHODS[path];
    if (method !== undefined) {
      if (request.method !== method) return jsonResponse(env, { error: `use ${method}` }, 405, { allow: method });
      return jsonResponse(env, await describeWithBody(request));
    }
    const param = /^\/(status|delay|stream|redirect)\/([^/]+)$/.exec(path);
    if (param) {
      const [, name, value = ""] = param;
      if (name === "status") return statusResponse(env, decodeURIComponent(value));
      if (name === "delay") return delayed(request, env, Number(value));
      if (name === "redirect") return redirect(env, Number(value));
      return streamLines(request, env, ctx, Number.parseInt(value, 10) || 0);
    }
    return notFound(env, request);
  },
} satisfies ExportedHandler<DemoEnv>;
