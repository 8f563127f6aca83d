// Session cookie: adds the Set-Cookie of a consistent-hash cookie minted by the balancer (Istio httpCookie with ttl).
import type { ProxyContext, StageFactory } from "../context";
import { editableResponse } from "../http/editable-response";
import { sessionSetCookieFor } from "../endpoint/session-cookie";

export const sessionCookie: StageFactory = () =>
  async function sessionCookie(ctx: ProxyContext, next) {
    const res = await next();
    const setCookie = sessionSetCookieFor(ctx);
    if (setCookie === null || res.status === 101) return res;
    const answer = editableResponse(ctx, res);
    answer.headers.append("set-cookie", setCookie);
    return answer;
  };
