// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.

const ALWAYS = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection"];

/** True for a WebSocket handshake, whose `Upgrade` must reach the upstream for the runtime to proxy it. */
export function isWebSocketUpgrade(headers: Headers): boolean {
  return headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Removes hop-by-hop headers in place: the fixed list, every `Proxy-*` header (credentials for this proxy,
 * not the upstream), and every header the `Connection` header names. `Upgrade: websocket` is kept.
 */
export function stripHopByHop(headers: Headers, keepWebSocketUpgrade: boolean): void {
  const named = headers.get("connection");
  if (named !== null) {
    for (const token of named.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "" && !(keepWebSocketUpgrade && name === "upgrade")) headers.delete(name);
    }
  }
  const proxyHeaders: string[] = [];
  headers.forEach((_value, name) => {
    if (name.startsWith("proxy-")) proxyHeaders.push(name);
  });
  for (const name of proxyHeaders) headers.delete(name);
  for (const name of ALWAYS) {
    if (!(keepWebSocketUpgrade && name === "upgrade")) headers.delete(name);
  }
}
