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
 * The hop-by-hop headers present, or null when there are none: the fixed list, every `Proxy-*` header (credentials
 * for this proxy, not the upstream), and every header the `Connection` header names. `Upgrade: websocket` is kept
 * when asked. Reads only, so it also serves a response whose headers cannot be edited.
 */
export function hopByHopNames(
  headers: Omit<StrippableHeaders, "delete">,
  keepWebSocketUpgrade: boolean,
): string[] | null {
  // One pass over what is present: this runs on every request and response.
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
  return drop;
}

/** Removes the hop-by-hop headers (`hopByHopNames`) in place; deletes only where there is something to drop. */
export function stripHopByHop(headers: StrippableHeaders, keepWebSocketUpgrade: boolean): void {
  const drop = hopByHopNames(headers, keepWebSocketUpgrade);
  if (drop !== null) for (const name of drop) headers.delete(name);
}

/**
 * What the runtime itself leaves out of a response it sends, whatever the Worker returns (workerd writes its own
 * framing; checked by test/proxy/request-id-in-response.test.ts). `Proxy-*` headers and the ones `Connection` names
 * it sends on.
 */
const LEFT_OUT_BY_RUNTIME = new Set(["connection", "keep-alive", "te", "trailer", "transfer-encoding"]);

/**
 * The hop-by-hop headers to remove from an upstream's answer before the client may see it, or null when the runtime
 * leaves out all it has (most answers: an origin's `Connection: keep-alive`), so it can go back as it came.
 */
export function answerHopByHop(headers: Omit<StrippableHeaders, "delete">): string[] | null {
  const names = hopByHopNames(headers, false);
  return names !== null && names.some((name) => !LEFT_OUT_BY_RUNTIME.has(name)) ? names : null;
}
