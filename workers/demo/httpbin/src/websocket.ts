// httpbin `/ws`: a WebSocket that greets with service/version and then echoes every message.

import type { Identity } from "../../lib/json-response";
import { jsonResponse } from "../../lib/json-response";

export function websocketEcho(request: Request, env: Identity): Response {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return jsonResponse(env, { error: "expected a WebSocket upgrade (Upgrade: websocket)" }, 426, {
      upgrade: "websocket",
    });
  }
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  server.send(JSON.stringify({ event: "connected", service: env.SERVICE, version: env.VERSION }));
  server.addEventListener("message", (event) => {
    server.send(event.data);
  });
  server.addEventListener("close", (event) => {
    // Echo the close back so the handshake completes; 1005 ("no status") cannot be sent.
    const code = event.code === 1005 || event.code === 1006 ? 1000 : event.code;
    try {
      server.close(code, event.reason);
    } catch {
      // Already closed.
    }
  });
  return new Response(null, { status: 101, webSocket: client });
}
