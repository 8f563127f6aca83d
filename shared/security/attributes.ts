// The request facts authorization decides on; the proxy fills them only from verified sources.

/** Anything with `get(name)`: a `Headers` object passes as is. Names are looked up lower-case. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** A verified end-user JWT (RequestAuthentication), as `request.auth.*` sees it. */
export interface EndUserAuth {
  issuer: string;
  subject: string;
  /** `iss + "/" + sub`, Istio's request principal. */
  principal: string;
  /** The token's `aud`, as a list. */
  audiences: string[];
  /** The `azp` claim. */
  presenter?: string;
  claims: Record<string, unknown>;
}

export interface RequestAttributes {
  method: string;
  /** Normalized path without query (`normalizeRequestPath`) — the same string that is sent upstream. */
  path: string;
  /** The authority as received (`reviews.localhost:8787`); matching lower-cases it and ignores the port. */
  host: string;
  /** Destination port (the listener's, or 80/443 from the scheme). */
  port?: number;
  headers: HeaderLookup;
  /**
   * Verified peer principal (`cluster.local/ns/default/sa/productpage`) from a service binding, an identity
   * token or a client certificate; undefined for an anonymous peer. `source.namespace` is derived from it.
   */
  sourcePrincipal?: string;
  /** Address of the direct peer (on Cloudflare: the client address the edge saw). */
  sourceIp?: string;
  /** Original client address (X-Forwarded-For with trusted hops); defaults to `sourceIp` when unset. */
  remoteIp?: string;
  destinationIp?: string;
  /** TLS SNI of the client connection, when known. */
  sni?: string;
  /** Undefined when the request carried no end-user JWT. */
  auth?: EndUserAuth;
}
