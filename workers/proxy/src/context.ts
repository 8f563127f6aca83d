// The per-request context every stage reads and extends, and the one stage contract.
import type { BackendModel, EndpointModel } from "../../../shared/model/snapshot";
import type { RouteMatch } from "../../../shared/routing/match-route";
import type { AuthzDecision, EndUserAuth } from "../../../shared/security/index";
import type { TraceContext } from "../../../shared/telemetry/index";
import type { CompiledConfig, CompiledService, EndpointSet } from "./config/compiled";
import type { RequestResilience } from "./resilience/request-state";
import type { ProxyEnv } from "./env";
import type { HeaderBag } from "./http/header-bag";
import type { RequestUrl } from "./http/request-url";

/** A stage finishes by returning a Response, or delegates to the rest of the pipeline with `next()`. */
export type Next = () => Promise<Response>;
export type Stage = (ctx: ProxyContext, next: Next) => Promise<Response>;
/** Built once per config revision; the stage it returns runs per request. */
export type StageFactory = (config: CompiledConfig) => Stage;

/** The caller a service binding vouches for (Egress `ctx.props`): verified by the runtime, not by headers. */
export interface CallerIdentity {
  service: string;
  namespace: string;
  version: string | null;
}

export interface UpstreamTarget {
  backend: BackendModel;
  service: CompiledService;
  endpoint: EndpointModel;
}

export interface ProxyContext {
  readonly request: Request;
  /** Parsed once, as plain strings (http/request-url.ts). */
  readonly url: RequestUrl;
  readonly env: ProxyEnv;
  readonly exec: ExecutionContext;
  readonly config: CompiledConfig;
  /** The service the request is for (from Host, or from the egress URL). */
  readonly destination: CompiledService;
  /** `ingress`: from outside through the mesh port; `egress`: from a Worker through its MESH binding. */
  readonly mode: "ingress" | "egress";
  readonly caller: CallerIdentity | null;
  readonly requestId: string;
  /**
   * The headers that go upstream; stages edit this bag, never `request.headers`, and read what the request
   * arrived with from `headers.original(name)` (one read of the inbound headers per request).
   */
  readonly headers: HeaderBag;
  /** Verified caller principal (`cluster.local/ns/default/sa/productpage`), or null when anonymous. */
  principal: string | null;
  /** The inbound `x-mesh-identity` token, removed from `headers`, for an authentication stage. */
  identityToken: string | null;
  match: RouteMatch | null;
  /** Path and authority sent upstream, after any URL rewrite. */
  upstreamPath: string;
  upstreamHost: string;
  target: UpstreamTarget | null;
  /** Uniform in [0, 1); a seam for deterministic tests. */
  random(): number;
  /** Additive (telemetry): this hop's trace context; forwarding sends it upstream (W3C + B3). */
  trace?: TraceContext;
  /** Envoy-style response flags for the access log (`UO`, `UT`, `URX`, `UF`, `UR`, `DI`, `FI`, `RL`, `UH`). */
  responseFlags: string[];
  /** Upstream tries made for this request (0 when the proxy answered by itself). */
  attempts: number;
  /** Id of the endpoint the last try went to (the one whose answer the client got), or null. */
  upstreamEndpoint: string | null;
  /** The backend the balance stage chose for this request (once; each try then picks an endpoint of it). */
  backend: BackendChoice | null;
  /** Set by the retry stage for each upstream try: the body to send (a replayable copy) and the abort signal. */
  upstreamTry: UpstreamTry | null;
  /** Request deadline and per-request state of the resilience stages (workers/proxy/src/resilience). */
  resilience: RequestResilience | null;
  /**
   * The endpoint's response when the upstream stage returned it unchanged (immutable headers); a stage that edits
   * the response's headers goes through `editableResponse` (http/editable-response.ts), which copies it once.
   */
  passedThrough: Response | null;
  /** Additive (security): how the caller proved `principal` (binding, certificate, token), for logs. */
  peerVia?: "binding" | "token" | "certificate" | null;
  /** Additive (security): why a presented credential was refused, for logs (never in the response). */
  authnFailure?: string;
  /** Additive (security): the verified end-user JWT (RequestAuthentication), as `request.auth.*`. */
  endUser?: EndUserAuth;
  /** Additive (security): the authorization decision; `authzPolicy` names the deciding policy, for logs only. */
  authz?: AuthzDecision;
  authzPolicy?: string;
}

/** A backend of the matched route, with the endpoint set it resolves to. */
export interface BackendChoice {
  backend: BackendModel;
  service: CompiledService;
  set: EndpointSet;
  /** `default/reviews` or `subset v2 of default/reviews`, for messages. */
  label: string;
}

export interface UpstreamTry {
  body: ReadableStream | ArrayBuffer | null;
  /** Null when no timeout applies to the try (nothing can abort it). */
  signal: AbortSignal | null;
}
