// A VirtualService → the ordered routes of the Service its hosts name. Istio is first-match in list
// order, so http[] keeps its order; a request matching none gets `404 no_route` (no catch-all added).
import type { BackendModel, KeyValueMatchModel, RouteMatchModel, RouteModel } from "../model/snapshot";
import type { VirtualServiceResource } from "../resources/registry";
import type { StringMatch } from "../resources/istio-common";
import type { HTTPMatchRequest, HTTPRouteDestination, VirtualServiceHTTPRoute } from "../resources/virtualservice";
import { durationToMs } from "../duration";
import { resolveHost } from "./resolve-host";
import { compileRetry } from "./retry";
import {
  corsModel,
  directResponseModel,
  faultModel,
  headerOperations,
  mirrorModels,
  redirectModel,
  rewriteModel,
  stringMatchModel,
} from "./virtualservice-actions";
import { groupByKeys } from "./group-by-keys";

/** The VirtualServices whose hosts resolve to each Service key, in list order (once per Service). One pass. */
export function virtualServicesByHost(
  list: readonly VirtualServiceResource[],
  serviceKeys: Set<string>,
): Map<string, VirtualServiceResource[]> {
  return groupByKeys(list, (vs) => vs.spec.hosts.map((host) => resolveHost(host, vs.metadata.namespace, serviceKeys)));
}

function keyValues(
  map: Record<string, StringMatch> | undefined,
  lower: boolean,
  invert: boolean,
): KeyValueMatchModel[] {
  return Object.entries(map ?? {}).map(([name, m]) => {
    const sm = stringMatchModel(m);
    const model: KeyValueMatchModel = {
      name: lower ? name.toLowerCase() : name,
      type: sm?.type ?? "Present",
      value: sm?.value ?? "",
    };
    if (invert) model.invert = true;
    return model;
  });
}

export function matchModel(m: HTTPMatchRequest): RouteMatchModel {
  const model: RouteMatchModel = {
    headers: [...keyValues(m.headers, true, false), ...keyValues(m.withoutHeaders, true, true)],
    queryParams: keyValues(m.queryParams, false, false),
  };
  const uri = m.uri !== undefined ? stringMatchModel(m.uri) : undefined;
  if (uri !== undefined) {
    model.path = { type: uri.type, value: uri.value };
    if (m.ignoreUriCase === true) model.path.ignoreCase = true;
  }
  if (m.method?.exact !== undefined) model.method = m.method.exact;
  const authority = m.authority !== undefined ? stringMatchModel(m.authority) : undefined;
  if (authority !== undefined) model.authority = authority;
  return model;
}

/** Istio weights: a lone destination gets all traffic; among several, a missing weight is 0. */
function backends(route: HTTPRouteDestination[], resolve: (host: string) => string | undefined): BackendModel[] {
  return route.flatMap((rd) => {
    const service = resolve(rd.destination.host);
    if (service === undefined) return [];
    const backend: BackendModel = { service, weight: rd.weight ?? (route.length === 1 ? 100 : 0) };
    if (rd.destination.subset !== undefined) backend.subset = rd.destination.subset;
    if (rd.headers?.request !== undefined) backend.requestHeaders = headerOperations(rd.headers.request);
    if (rd.headers?.response !== undefined) backend.responseHeaders = headerOperations(rd.headers.response);
    return [backend];
  });
}

function routeModel(
  vs: VirtualServiceResource,
  http: VirtualServiceHTTPRoute,
  index: number,
  resolve: (host: string) => string | undefined,
): RouteModel {
  const base = `VirtualService/${vs.metadata.namespace}/${vs.metadata.name}`;
  const model: RouteModel = {
    id: http.name !== undefined ? `${base}#${http.name}` : `${base}#http${index}`,
    matches: (http.match ?? []).map(matchModel),
    backends: backends(http.route ?? [], resolve),
    mirrors: mirrorModels(http, resolve),
  };
  if (http.headers?.request !== undefined) model.requestHeaders = headerOperations(http.headers.request);
  if (http.headers?.response !== undefined) model.responseHeaders = headerOperations(http.headers.response);
  if (http.redirect !== undefined) model.redirect = redirectModel(http.redirect);
  const rewrite = rewriteModel(http);
  if (rewrite !== undefined) model.rewrite = rewrite;
  const timeoutMs = http.timeout !== undefined ? durationToMs(http.timeout) : 0;
  if (timeoutMs > 0) model.timeoutMs = timeoutMs; // Istio: 0s disables the timeout
  if (http.retries !== undefined) model.retry = compileRetry(http.retries);
  const fault = http.fault !== undefined ? faultModel(http.fault) : undefined;
  if (fault !== undefined) model.fault = fault;
  if (http.corsPolicy !== undefined) model.cors = corsModel(http.corsPolicy);
  if (http.directResponse !== undefined) model.directResponse = directResponseModel(http.directResponse);
  return model;
}

/** The routes of a VirtualService, in list order. `delegate` entries are skipped (not supported). */
export function compileVirtualService(
  vs: VirtualServiceResource,
  serviceKeys: Pick<ReadonlySet<string>, "has">,
): RouteModel[] {
  const resolve = (host: string) => resolveHost(host, vs.metadata.namespace, serviceKeys);
  return (vs.spec.http ?? []).flatMap((http, i) =>
    http.delegate !== undefined ? [] : [routeModel(vs, http, i, resolve)],
  );
}
