// Upstream: the terminal stage. Streams the request to the chosen endpoint and its answer back.
import type { ProxyContext, StageFactory } from "../context";
import { endpointFailure, sendToEndpoint, type OutboundRequest } from "../endpoint/send";
import { answerHopByHop } from "../http/hop-by-hop";

export const upstream: StageFactory = () =>
  async function upstream(ctx: ProxyContext) {
    const { service, endpoint } = ctx.target!;
    const out: OutboundRequest = {
      method: ctx.request.method,
      scheme: ctx.url.protocol.slice(0, -1),
      host: ctx.upstreamHost,
      path: ctx.upstreamPath,
      search: ctx.url.search,
      headers: ctx.headers.toHeaders(),
      // The retry stage hands each try its own copy of the body and its abort signal (timeouts).
      body: ctx.upstreamTry === null ? ctx.request.body : ctx.upstreamTry.body,
      signal: ctx.upstreamTry?.signal,
    };
    let res: Response;
    try {
      res = await sendToEndpoint(ctx.env, service.key, endpoint, out);
    } catch (err) {
      throw endpointFailure(err, out.signal, service.key, endpoint);
    }
    // A WebSocket handshake answer carries the socket itself; it goes back untouched.
    if (res.status === 101 || res.webSocket !== null) return res;
    const drop = answerHopByHop(res.headers);
    if (drop === null) {
      // Nothing the client may not see: passed back as it came, copied only if a later stage edits its headers.
      ctx.passedThrough = res;
      return res;
    }
    // Re-wrapped for mutable headers; the body stays a stream, never buffered.
    const answer = new Response(res.body, res);
    for (const name of drop) answer.headers.delete(name);
    return answer;
  };
