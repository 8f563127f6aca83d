// flaremesh edge proxy: ingress by Host on `fetch`, and `Egress` for Workers calling through their MESH binding.
import { WorkerEntrypoint } from "cloudflare:workers";
import type { CallerIdentity } from "./context";
import type { ProxyEnv } from "./env";
import { handleRequest } from "./handle";

export default {
  fetch(request, env, ctx) {
    return handleRequest(request, env, ctx, { mode: "ingress", caller: null });
  },
} satisfies ExportedHandler<ProxyEnv>;

/** Binding props a Worker's `MESH` service binding is configured with (brief interface 6). */
export interface EgressProps {
  service?: unknown;
  namespace?: unknown;
  version?: unknown;
}

/**
 * Egress: the runtime vouches for `ctx.props` (they are part of the caller's binding configuration, not of
 * the request), so they are the verified caller identity; the URL host names the destination service.
 */
export class Egress extends WorkerEntrypoint<ProxyEnv, EgressProps> {
  override fetch(request: Request): Promise<Response> {
    return handleRequest(request, this.env, this.ctx, { mode: "egress", caller: callerOf(this.ctx.props) });
  }
}

function callerOf(props: EgressProps | undefined): CallerIdentity | null {
  if (props === undefined || typeof props.service !== "string" || props.service === "") return null;
  return {
    service: props.service,
    namespace: typeof props.namespace === "string" && props.namespace !== "" ? props.namespace : "default",
    version: typeof props.version === "string" ? props.version : null,
  };
}
