// Identity: drop spoofable identity headers, then name the caller only from what the runtime verified.
import type { ProxyContext, Stage, StageFactory } from "../context";

export const identity: StageFactory = (config) =>
  function identity(ctx: ProxyContext, next) {
    // The token is kept for an authentication stage to verify; it never reaches the service.
    ctx.identityToken = ctx.headers.get("x-mesh-identity");
    ctx.headers.delete("x-mesh-identity");
    ctx.headers.delete("x-mesh-principal");
    if (ctx.caller !== null) {
      ctx.principal = `${config.trustDomain}/ns/${ctx.caller.namespace}/sa/${ctx.caller.service}`;
      ctx.headers.set("x-mesh-principal", ctx.principal);
    }
    return next();
  } satisfies Stage;
