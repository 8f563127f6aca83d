// Request timeout: route, else TrafficPolicy, else MeshConfig. When it fires, the try in flight is aborted
// (its AbortSignal, so the subrequest is cancelled, not merely abandoned) and the client gets 504
// upstream_timeout (flag UT). It bounds the time to the response headers; a streaming body is not cut.
import { MeshError } from "../../../../shared/errors";
import type { ProxyContext, StageFactory } from "../context";
import { addFlag, resilienceOf, TimeoutReason } from "./request-state";
import { routePolicy } from "./route-policy";

export const timeout: StageFactory = (config) =>
  async function timeout(ctx: ProxyContext, next) {
    const ms = routePolicy(config, ctx.destination, ctx.match!.route).timeouts.requestMs;
    if (ms === null) return next();
    const state = resilienceOf(ctx);
    state.deadlineMs = Date.now() + ms;
    const controller = new AbortController();
    state.requestSignal = controller.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = new TimeoutReason("request");
        controller.abort(reason);
        reject(reason);
      }, ms);
    });
    const answer = next();
    try {
      return await Promise.race([answer, expired]);
    } catch (err) {
      if (err instanceof TimeoutReason || (controller.signal.aborted && isTimeoutError(err))) {
        addFlag(ctx, "UT");
        // A response that still arrives is nobody's: release its body.
        answer.then(
          (res) => res.body?.cancel(),
          () => undefined,
        );
        throw new MeshError("upstream_timeout", `no response from ${ctx.destination.key} within ${ms} ms`);
      }
      throw err;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };

function isTimeoutError(err: unknown): boolean {
  return err instanceof MeshError && err.code === "upstream_timeout";
}
