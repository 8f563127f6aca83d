// The request pipeline: the order of the proxy's stages, written once, top to bottom.
import type { CompiledConfig } from "./config/compiled";
import type { ProxyContext, Stage, StageFactory } from "./context";
import { balance } from "./stages/balance";
import { forwarding } from "./stages/forwarding";
import { identity } from "./stages/identity";
import { authorization } from "./stages/authorization";
import { peerAuthentication } from "./stages/peer-authentication";
import { requestAuthentication } from "./stages/request-authentication";
import { localReply } from "./stages/local-reply";
import { mirror } from "./stages/mirror";
import { rewrite } from "./stages/rewrite";
import { sessionCookie } from "./stages/session-cookie";
import { route } from "./stages/route";
import { upstream } from "./stages/upstream";
import { breaker } from "./resilience/breaker-stage";
import { endpoint } from "./resilience/endpoint-stage";
import { fault } from "./resilience/fault-stage";
import { rateLimit } from "./resilience/rate-limit-stage";
import { retry } from "./resilience/retry-stage";
import { timeout } from "./resilience/timeout-stage";

const STAGES: StageFactory[] = [
  identity, //    strip spoofable identity headers; x-mesh-principal from the verified caller only
  forwarding, //  hop-by-hop stripped; x-forwarded-*, x-request-id, traceparent
  peerAuthentication, // binding / client certificate / identity token vs PeerAuthentication: 401 unauthenticated
  requestAuthentication, // end-user JWT (RequestAuthentication): 401 when presented and invalid
  authorization, //  AuthorizationPolicy (CUSTOM, DENY, ALLOW): 403 forbidden (UAEX)
  rateLimit, //   local token bucket, then the global counter: 429 rate_limited (RL)
  route, //       first matching route of the destination service, else 404 no_route
  localReply, //  direct response, redirect, CORS preflight: answered by the proxy itself
  rewrite, //     URL rewrite and the route's header mutations
  mirror, //      fire-and-forget shadow copies
  sessionCookie, // Set-Cookie for a consistent-hash cookie the balancer minted
  fault, //       injected delay (DI) and abort (FI), decided once per request
  timeout, //     request deadline: aborts the try in flight, 504 upstream_timeout (UT)
  balance, //     backend by weight, once per request
  retry, //       each try below: own body copy, per-try timeout, retry on failure, budgets (URX)
  breaker, //     per destination: at most N tries in flight, P waiting, else 503 circuit_open (UO)
  endpoint, //    endpoint by the load-balancer policy, skipping ejected, unhealthy and already tried ones
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
