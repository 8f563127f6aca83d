// The per-request context every stage reads and extends, and the one stage contract.
import type { BackendModel, EndpointModel } from "../../../shared/model/snapshot";
import type { RouteMatch } from "../../../shared/routing/match-route";
import type { CompiledConfig, CompiledService } from "./config/compiled";
import type { ProxyEnv } from "./env";

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
  readonly url: URL;
  readonly env: ProxyEnv;
  readonly exec: ExecutionContext;
  readonly config: CompiledConfig;
  /** The service the request is for (from Host, or from the egress URL). */
  readonly destination: CompiledService;
  /** `ingress`: from outside through the mesh port; `egress`: from a Worker through its MESH binding. */
  readonly mode: "ingress" | "egress";
  readonly caller: CallerIdentity | null;
  readonly requestId: string;
  /** The headers that go upstream; stages edit this copy, never `request.headers`. */
  readonly headers: Headers;
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
}
