// Rewrite: the route's URL rewrite and request/response header mutations.
import { applyHeaderMutation } from "../../../../shared/routing/header-mutation";
import { rewritePath } from "../../../../shared/routing/rewrite";
import type { ProxyContext, StageFactory } from "../context";
import { editableResponse } from "../http/editable-response";

export const rewrite: StageFactory = () =>
  function rewrite(ctx: ProxyContext, next) {
    const match = ctx.match!;
    const r = match.route;
    ctx.upstreamPath = rewritePath(r.rewrite?.path, ctx.url.pathname, match.prefixMatched, match.compiled.regexRewrite);
    // Origins always see their own host (the runtime sets it from their URL); Worker endpoints see this one.
    if (r.rewrite?.hostname !== undefined) ctx.upstreamHost = r.rewrite.hostname;
    applyHeaderMutation(ctx.headers, r.requestHeaders);
    const mutation = r.responseHeaders;
    // Nothing to do on the way back: no continuation to wait in.
    if (mutation === undefined) return next();
    return next().then((res) => {
      if (res.status === 101) return res;
      const answer = editableResponse(ctx, res);
      applyHeaderMutation(answer.headers, mutation);
      return answer;
    });
  };
