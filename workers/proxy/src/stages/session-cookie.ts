// Session cookie: adds the Set-Cookie of a consistent-hash cookie minted by the balancer (Istio httpCookie with ttl).
import type { ProxyContext, StageFactory } from "../context";
import { sessionSetCookieFor } from "../endpoint/session-cookie";

export const sessionCookie: StageFactory = () =>
  async function sessionCookie(ctx: ProxyContext, next) {
    const res = await next();
    const setCookie = sessionSetCookieFor(ctx);
    if (setCookie === null || res.status === 101) return res;
    try {
      res.headers.append("set-cookie", setCookie);
      return res;
    } catch {
      // Immutable headers (a response passed through as is): copy once.
      const copy = new Response(res.body, res);
      copy.headers.append("set-cookie", setCookie);
      return copy;
    }
  };
