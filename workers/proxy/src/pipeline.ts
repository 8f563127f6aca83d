// The request pipeline: the order of the proxy's stages, written once, top to bottom.
import type { CompiledConfig } from "./config/compiled";
import type { ProxyContext, Stage, StageFactory } from "./context";
import { balance } from "./stages/balance";
import { forwarding } from "./stages/forwarding";
import { identity } from "./stages/identity";
import { localReply } from "./stages/local-reply";
import { mirror } from "./stages/mirror";
import { rewrite } from "./stages/rewrite";
import { route } from "./stages/route";
import { upstream } from "./stages/upstream";

const STAGES: StageFactory[] = [
  identity, //    strip spoofable identity headers; x-mesh-principal from the verified caller only
  forwarding, //  hop-by-hop stripped; x-forwarded-*, x-request-id, traceparent
  // authn, authz, rate limit: later stages go here, before routing decides anything
  route, //       first matching route of the destination service, else 404 no_route
  localReply, //  direct response, redirect, CORS preflight: answered by the proxy itself
  rewrite, //     URL rewrite and the route's header mutations
  mirror, //      fire-and-forget shadow copies
  // fault, timeout, retry, circuit breaker: later stages go here, around each try
  balance, //     backend by weight, then endpoint by the destination's load-balancer policy
  upstream, //    terminal: stream to the endpoint and back
];

export type Handler = (ctx: ProxyContext) => Promise<Response>;

const built = new WeakMap<CompiledConfig, Handler>();

/** The pipeline for a config revision; its stage factories run once, when the revision is first served. */
export function pipelineFor(config: CompiledConfig): Handler {
  let handler = built.get(config);
  if (handler === undefined) {
    handler = compose(STAGES.map((factory) => factory(config)));
    built.set(config, handler);
  }
  return handler;
}

function compose(stages: Stage[]): Handler {
  return (ctx) => {
    const run = (i: number): Promise<Response> => {
      const stage = stages[i];
      if (stage === undefined) return Promise.reject(new Error("the pipeline ended without a response"));
      return stage(ctx, () => run(i + 1));
    };
    return run(0);
  };
}
