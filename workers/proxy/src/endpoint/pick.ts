// Chooses one endpoint of an endpoint set by the destination's load-balancer policy, preferring the caller's zone.
// LeastRequest: power of two choices over the in-flight counts the caller passes (round robin without them).
import type { EndpointModel, LoadBalancerModel } from "../../../../shared/model/snapshot";
import { pickByHash } from "../../../../shared/routing/consistent-hash";
import { preferLocal, zonesOf, type WeightedView } from "../../../../shared/routing/locality";
import { nextRoundRobin } from "../../../../shared/routing/round-robin";
import { readCookie, sessionSetCookie } from "../../../../shared/routing/session-cookie";
import { chooseWeighted } from "../../../../shared/routing/weighted";
import type { EndpointSet } from "../config/compiled";
import type { ProxyContext } from "../context";
import { issueSessionCookie, sessionCookieValue } from "./session-cookie";

export interface PickOptions {
  /** Endpoints the caller may not use (ejected, breaker open): their weight counts as 0. */
  usable?: (endpoint: EndpointModel, index: number) => boolean;
  /** False for shadow (mirror) traffic: a consistent-hash cookie is never issued for it. */
  issueCookie?: boolean;
  /** Requests in flight per endpoint id, for LeastRequest (resilience/endpoint-stage.ts keeps them). */
  inflight?: (endpointId: string) => number;
}

type View = readonly { id: string; weight: number }[];

export function pickEndpoint(
  set: EndpointSet,
  lb: LoadBalancerModel,
  ctx: ProxyContext,
  options: PickOptions = {},
): EndpointModel | null {
  const view = viewFor(set, ctx, options.usable);
  let index: number | null;
  if (lb.type === "Random") index = chooseWeighted(view, ctx.random());
  else if (lb.type === "ConsistentHash") {
    const key = hashKey(lb.hash, ctx, options.issueCookie !== false);
    index = key === null ? nextRoundRobin(set.roundRobin, view) : pickByHash(key, view);
  } else if (lb.type === "LeastRequest" && options.inflight !== undefined) {
    index = leastRequest(view, options.inflight, ctx);
  } else index = nextRoundRobin(set.roundRobin, view);
  return index === null ? null : set.endpoints[index]!;
}

/**
 * Power of two choices (Envoy's LEAST_REQUEST): two endpoints drawn by weight, the one with fewer requests
 * in flight wins — nearly as good as scanning them all, without herding every isolate onto one endpoint.
 */
function leastRequest(view: View, inflight: (endpointId: string) => number, ctx: ProxyContext): number | null {
  const a = chooseWeighted(view, ctx.random());
  if (a === null) return null;
  const b = chooseWeighted(view, ctx.random())!;
  return inflight(view[b]!.id) < inflight(view[a]!.id) ? b : a;
}

// Per config revision (EndpointSet objects live as long as their revision): zones named, and the zone views.
const zoneInfo = new WeakMap<EndpointSet, { zones: Set<string>; views: Map<string, View> }>();

/**
 * The endpoints with their effective weights: zone preference (the caller's `cf.colo` / `cf.region`) and
 * usability applied. Same length and order as `set.endpoints`, so indices and round-robin state carry over.
 */
function viewFor(set: EndpointSet, ctx: ProxyContext, usable: PickOptions["usable"]): View {
  let info = zoneInfo.get(set);
  if (info === undefined) {
    info = { zones: zonesOf(set.endpoints), views: new Map() };
    zoneInfo.set(set, info);
  }
  const callerZones = info.zones.size === 0 ? [] : callerZonesOf(ctx).filter((z) => info.zones.has(z));
  if (usable === undefined) {
    if (callerZones.length === 0) return set.endpoints;
    const key = callerZones.join("\u0000");
    let view = info.views.get(key);
    if (view === undefined) {
      view = preferLocal(set.endpoints, callerZones);
      info.views.set(key, view);
    }
    return view;
  }
  const ok = (i: number) => usable(set.endpoints[i]!, i);
  const local: WeightedView = preferLocal(set.endpoints, callerZones, ok);
  return local.map((e, i) => (ok(i) ? e : { id: e.id, weight: 0 }));
}

/** Where the caller is, as Cloudflare's edge reports it (absent on service-binding calls). */
function callerZonesOf(ctx: ProxyContext): string[] {
  const cf = ctx.request.cf as { colo?: unknown; region?: unknown } | undefined;
  const zones: string[] = [];
  if (typeof cf?.colo === "string" && cf.colo !== "") zones.push(cf.colo);
  if (typeof cf?.region === "string" && cf.region !== "") zones.push(cf.region);
  return zones;
}

/**
 * The request's hash key; null (round robin) when the request lacks it. A missing hash cookie is minted:
 * the new value is the key, and the response carries its Set-Cookie so the client sticks to the endpoint.
 */
function hashKey(hash: LoadBalancerModel["hash"], ctx: ProxyContext, mayIssue: boolean): string | null {
  if (hash === undefined) return null;
  if (hash.header !== undefined) return ctx.headers.original(hash.header);
  if (hash.queryParam !== undefined) return ctx.url.searchParams.get(hash.queryParam);
  if (hash.cookie !== undefined) {
    const sent = readCookie(ctx.headers.original("cookie"), hash.cookie.name);
    if (sent !== null || !mayIssue) return sent;
    // One value per request, so that a retry that picks again lands on the same endpoint.
    let value = sessionCookieValue(ctx);
    if (value === null) {
      value = crypto.randomUUID();
      issueSessionCookie(ctx, value, sessionSetCookie(hash.cookie, value));
    }
    return value;
  }
  if (hash.sourceIp) return ctx.headers.original("cf-connecting-ip") ?? ctx.principal;
  return null;
}
