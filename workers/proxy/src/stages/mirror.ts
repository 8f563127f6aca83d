// Mirror: fire-and-forget copies of the request to shadow services; they never affect the response.
// Only bodyless requests are mirrored, so a mirror can never hold back or consume the client's body.
import { endpointsFor } from "../config/compiled";
import type { ProxyContext, StageFactory } from "../context";
import { pickEndpoint } from "../endpoint/pick";
import { sendToEndpoint } from "../endpoint/send";

export const mirror: StageFactory = (config) =>
  async function mirror(ctx: ProxyContext, next) {
    const mirrors = ctx.match!.route.mirrors;
    if (mirrors.length === 0 || ctx.request.body !== null) return next();
    for (const m of mirrors) {
      if (ctx.random() * 100 >= m.percent) continue;
      const service = config.services.get(m.service);
      const set = service ? endpointsFor(service, m.subset) : null;
      const endpoint = service && set ? pickEndpoint(set, service.loadBalancer, ctx) : null;
      if (!service || !endpoint) continue;
      const shadow = sendToEndpoint(ctx.env, service.key, endpoint, {
        method: ctx.request.method,
        scheme: ctx.url.protocol.slice(0, -1),
        // Istio's convention, so that a shadow service can tell mirrored traffic apart.
        host: `${ctx.upstreamHost}-shadow`,
        path: ctx.upstreamPath,
        search: ctx.url.search,
        headers: new Headers(ctx.headers),
        body: null,
      });
      ctx.exec.waitUntil(shadow.then((res) => res.body?.cancel()).catch(() => undefined));
    }
    return next();
  };
