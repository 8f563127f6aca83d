// The upstream's answer is passed back as the runtime gave it until a stage edits its headers; that stage copies it.
import type { ProxyContext } from "../context";

/**
 * `res` with headers that can be edited. The upstream stage returns the endpoint's response itself when it carries
 * no hop-by-hop header (`ctx.passedThrough`): the runtime's `fetch` answers with immutable headers, and copying
 * them costs a `Response` and a `Headers` per request that nothing may edit. The first stage that edits copies it
 * once here; later stages get the copy, which is theirs to edit.
 */
export function editableResponse(ctx: Pick<ProxyContext, "passedThrough">, res: Response): Response {
  if (res !== ctx.passedThrough) return res;
  ctx.passedThrough = null;
  // The body stays a stream, never buffered.
  return new Response(res.body, res);
}
