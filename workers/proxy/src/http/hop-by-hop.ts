// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.

const ALWAYS = new Set([
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
]);

/** What stripping needs of a header collection: `Headers`, or the proxy's HeaderBag. */
interface StrippableHeaders {
  get(name: string): string | null;
  delete(name: string): void;
  forEach(callback: (value: string, name: string) => void): void;
}

/** True for a WebSocket handshake, whose `Upgrade` must reach the upstream for the runtime to proxy it. */
export function isWebSocketUpgrade(headers: Pick<StrippableHeaders, "get">): boolean {
  return headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Removes hop-by-hop headers in place: the fixed list, every `Proxy-*` header (credentials for this proxy,
 * not the upstream), and every header the `Connection` header names. `Upgrade: websocket` is kept.
 */
export function stripHopByHop(headers: StrippableHeaders, keepWebSocketUpgrade: boolean): void {
  // One pass over what is present, then deletes only where needed: this runs on every request and response.
  let drop: string[] | null = null;
  const named = headers.get("connection");
  if (named !== null) {
    for (const token of named.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "" && !(keepWebSocketUpgrade && name === "upgrade")) (drop ??= []).push(name);
    }
  }
  headers.forEach((_value, name) => {
    if ((ALWAYS.has(name) || name.startsWith("proxy-")) && !(keepWebSocketUpgrade && name === "upgrade")) {
      (drop ??= []).push(name);
    }
  });
  if (drop !== null) for (const name of drop) headers.delete(name);
}
