// Forwarding headers: strip hop-by-hop, then set x-forwarded-*, x-request-id and trace context.
import type { ProxyContext, StageFactory } from "../context";
import { isWebSocketUpgrade, stripHopByHop } from "../http/hop-by-hop";
import { ensureTraceparent } from "../http/trace-context";
import { propagateTrace } from "../telemetry/propagate";
import { tracePropagation } from "../../../../shared/telemetry/index";

export const forwarding: StageFactory = (config) => {
  // MeshConfig `tracing.propagation`: the trace header formats written upstream, decided once per revision.
  const propagation = tracePropagation(config.mesh.tracing?.propagation);
  return function forwarding(ctx: ProxyContext, next) {
    const h = ctx.headers;
    stripHopByHop(h, isWebSocketUpgrade(h.inboundReader));
    // The runtime knows the client address; on egress (service binding) there is no client socket.
    const clientIp = ctx.mode === "ingress" ? h.original("cf-connecting-ip") : null;
    if (clientIp !== null) {
      const prior = h.get("x-forwarded-for");
      h.set("x-forwarded-for", prior ? `${prior}, ${clientIp}` : clientIp);
    }
    h.set("x-forwarded-proto", ctx.url.protocol.slice(0, -1));
    h.set("x-forwarded-host", ctx.url.host);
    h.set("x-request-id", ctx.requestId);
    if (ctx.trace) propagateTrace(h, ctx.trace, propagation);
    else ensureTraceparent(h);
    return next();
  };
};
