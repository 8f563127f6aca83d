// Chooses one endpoint of an endpoint set by the destination's load-balancer policy.
// LeastRequest falls back to round robin until the proxy tracks in-flight requests per endpoint.
import type { EndpointModel, LoadBalancerModel } from "../../../../shared/model/snapshot";
import { pickByHash } from "../../../../shared/routing/consistent-hash";
import { nextRoundRobin } from "../../../../shared/routing/round-robin";
import { chooseWeighted } from "../../../../shared/routing/weighted";
import type { EndpointSet } from "../config/compiled";
import type { ProxyContext } from "../context";

export function pickEndpoint(set: EndpointSet, lb: LoadBalancerModel, ctx: ProxyContext): EndpointModel | null {
  let index: number | null;
  if (lb.type === "Random") index = chooseWeighted(set.endpoints, ctx.random());
  else if (lb.type === "ConsistentHash") {
    const key = hashKey(lb.hash, ctx);
    index = key === null ? nextRoundRobin(set.roundRobin, set.endpoints) : pickByHash(key, set.endpoints);
  } else index = nextRoundRobin(set.roundRobin, set.endpoints);
  return index === null ? null : set.endpoints[index]!;
}

/** The request's hash key; null (round robin) when the request lacks it. Cookies are read, never minted. */
function hashKey(hash: LoadBalancerModel["hash"], ctx: ProxyContext): string | null {
  if (hash === undefined) return null;
  if (hash.header !== undefined) return ctx.request.headers.get(hash.header);
  if (hash.queryParam !== undefined) return ctx.url.searchParams.get(hash.queryParam);
  if (hash.cookie !== undefined) return cookie(ctx.request.headers.get("cookie"), hash.cookie.name);
  if (hash.sourceIp) return ctx.request.headers.get("cf-connecting-ip") ?? ctx.principal;
  return null;
}

function cookie(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
