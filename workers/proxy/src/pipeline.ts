// The request pipeline: the order of the proxy's stages, written once, top to bottom.
import type { CompiledConfig, CompiledService } from "./config/compiled";
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
import { routePolicy } from "./resilience/route-policy";
import { timeout } from "./resilience/timeout-stage";
import { securityOf } from "./security/service-security";

/**
 * A stage, and — for stages that only act on some configuration — whether a service has any of it. A service's
 * chain leaves out the stages it has nothing for (as Envoy builds a filter chain of the configured filters only).
 */
interface StageSpec {
  factory: StageFactory;
  usedBy?: (service: CompiledService, config: CompiledConfig) => boolean;
}

const anyRoute = (service: CompiledService, test: (route: CompiledService["model"]["routes"][number]) => boolean) =>
  service.model.routes.some(test);

const STAGES: StageSpec[] = [
  { factory: identity }, // strip spoofable identity headers; x-mesh-principal from the verified caller only
  { factory: forwarding }, // hop-by-hop stripped; x-forwarded-*, x-request-id, traceparent
  { factory: peerAuthentication }, // binding / client certificate / identity token vs PeerAuthentication: 401
  {
    factory: requestAuthentication, // end-user JWT (RequestAuthentication): 401 when presented and invalid
    usedBy: (s) => {
      const compiled = securityOf(s).requestAuthentication;
      return compiled.rules.length > 0 || compiled.protectedHeaders.length > 0;
    },
  },
  { factory: authorization }, // AuthorizationPolicy (CUSTOM, DENY, ALLOW): 403 forbidden (UAEX)
  {
    factory: rateLimit, // local token bucket, then the global counter: 429 rate_limited (RL)
    usedBy: (s) => s.model.policy.resilience?.rateLimit !== undefined,
  },
  { factory: route }, // first matching route of the destination service, else 404 no_route
  {
    factory: localReply, // direct response, redirect, CORS preflight: answered by the proxy itself
    usedBy: (s) => anyRoute(s, (r) => r.directResponse !== undefined || r.redirect !== undefined || !!r.cors),
  },
  { factory: rewrite }, // URL rewrite and the route's header mutations
  { factory: mirror, usedBy: (s) => anyRoute(s, (r) => r.mirrors.length > 0) }, // fire-and-forget shadow copies
  {
    factory: sessionCookie, // Set-Cookie for a consistent-hash cookie the balancer minted
    usedBy: (s, c) =>
      anyRoute(s, (r) => r.backends.some((b) => c.services.get(b.service)?.loadBalancer.hash?.cookie !== undefined)),
  },
  {
    factory: fault, // injected delay (DI) and abort (FI), decided once per request
    usedBy: (s, c) => anyRoute(s, (r) => routePolicy(c, s, r).fault !== undefined),
  },
  {
    factory: timeout, // request deadline: aborts the try in flight, 504 upstream_timeout (UT)
    usedBy: (s, c) => anyRoute(s, (r) => routePolicy(c, s, r).timeouts.requestMs !== null),
  },
  { factory: balance }, // backend by weight, once per request
  { factory: retry }, // each try below: own body copy, per-try timeout, retry on failure, budgets (URX)
  { factory: breaker }, // per destination: at most N tries in flight, P waiting, else 503 circuit_open (UO)
  { factory: endpoint }, // endpoint by the load-balancer policy, skipping ejected, unhealthy and already tried ones
  { factory: upstream }, // terminal: stream to the endpoint and back
];

export type Handler = (ctx: ProxyContext) => Promise<Response>;

const built = new WeakMap<CompiledConfig, Handler>();

/**
 * The pipeline for a config revision; its stage factories run once, when the revision is first served. The
 * handler runs the chain of the request's destination service, assembled on its first request.
 */
export function pipelineFor(config: CompiledConfig): Handler {
  let handler = built.get(config);
  if (handler === undefined) {
    const stages = STAGES.map((spec) => spec.factory(config));
    const chains = new WeakMap<CompiledService, Handler>();
    handler = (ctx) => {
      let chain = chains.get(ctx.destination);
      if (chain === undefined) {
        chain = compose(stages.filter((_, i) => STAGES[i]!.usedBy?.(ctx.destination, config) ?? true));
        chains.set(ctx.destination, chain);
      }
      return chain(ctx);
    };
    built.set(config, handler);
  }
  return handler;
}

/**
 * Stages that only act before the rest of the pipeline are plain functions returning `next()` (an async function
 * returning a promise costs the runtime two more microtask jobs and allocations, per stage and request); a stage
 * that throws instead of rejecting still yields a rejected promise, so every caller of `next()` sees one contract.
 */
function compose(stages: Stage[]): Handler {
  return (ctx) => {
    const run = (i: number): Promise<Response> => {
      const stage = stages[i];
      if (stage === undefined) return Promise.reject(new Error("the pipeline ended without a response"));
      try {
        return stage(ctx, () => run(i + 1));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return run(0);
  };
}
