// The entry for every request, ingress and egress: config, destination, pipeline, and rescue on error.
import { MeshError } from "../../../shared/errors";
import { hostWithoutPort } from "../../../shared/routing/match-route";
import { serviceKeyFromHost } from "../../../shared/routing/host";
import { getConfig } from "./config/cache";
import type { CompiledConfig, CompiledService } from "./config/compiled";
import type { CallerIdentity, ProxyContext } from "./context";
import { settingsOf, type ProxyEnv, type Settings } from "./env";
import { editableResponse } from "./http/editable-response";
import { HeaderBag } from "./http/header-bag";
import { requestIdFrom } from "./http/request-id";
import { RequestUrl } from "./http/request-url";
import { pipelineFor } from "./pipeline";
import { rescue } from "./rescue";
import { observe } from "./telemetry/observe";

export interface Entry {
  mode: ProxyContext["mode"];
  caller: CallerIdentity | null;
}

export async function handleRequest(
  request: Request,
  env: ProxyEnv,
  exec: ExecutionContext,
  entry: Entry,
): Promise<Response> {
  const headers = new HeaderBag(request.headers);
  const requestId = requestIdFrom(headers.original("x-request-id"));
  let res: Response;
  // Telemetry wraps everything below, so errors (no config, unknown service) are observed too.
  const observation = observe(request, headers, env, exec, entry.caller, requestId);
  let served: ProxyContext | null = null;
  try {
    const settings = settingsOf(env);
    const cached = getConfig(env, exec, settings.refreshMs);
    const config = cached instanceof Promise ? await cached : cached;
    const url = new RequestUrl(request.url);
    const ctx: ProxyContext = {
      request,
      url,
      env,
      exec,
      config,
      destination: destinationOf(config, url, settings, entry.mode),
      mode: entry.mode,
      caller: entry.caller,
      requestId,
      headers,
      principal: null,
      identityToken: null,
      match: null,
      upstreamPath: url.pathname,
      upstreamHost: url.host,
      target: null,
      random: Math.random,
      trace: observation.trace,
      responseFlags: [],
      attempts: 0,
      upstreamEndpoint: null,
      backend: null,
      upstreamTry: null,
      resilience: null,
      passedThrough: null,
    };
    served = ctx;
    res = await pipelineFor(config)(ctx);
  } catch (err) {
    res = rescue(err);
  }
  observation.finish(res, served);
  // Without a config (the proxy has none yet) the id is echoed, as by default.
  if (res.status === 101 || served?.config.setRequestIdInResponse === false) return res;
  // Only the upstream stage answers with immutable headers, and it marks them (ctx.passedThrough).
  if (served !== null) res = editableResponse(served, res);
  res.headers.set("x-request-id", requestId);
  return res;
}

/** Brief interface 4: the service a request is for, from its Host (ingress) or its URL host (egress). */
function destinationOf(
  config: CompiledConfig,
  url: RequestUrl,
  settings: Settings,
  mode: Entry["mode"],
): CompiledService {
  const host = hostWithoutPort(url.host);
  const key =
    mode === "ingress" && settings.pinnedService !== null
      ? settings.pinnedService
      : serviceKeyFromHost(host, settings.hostSuffixes, mode === "egress");
  const service = key === null ? undefined : config.services.get(key);
  if (service === undefined) {
    const which = key === null ? `host ${host} does not name a service` : `no service ${key} (host ${host})`;
    throw new MeshError("service_not_found", which);
  }
  return service;
}
