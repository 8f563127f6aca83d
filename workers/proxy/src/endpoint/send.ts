// Sends a request to one endpoint: an origin URL by fetch, or a Worker through its service binding.
import { MeshError } from "../../../../shared/errors";
import type { EndpointModel } from "../../../../shared/model/snapshot";
import { workerBinding, workerBindingName, type ProxyEnv } from "../env";

export interface OutboundRequest {
  method: string;
  /** `http` / `https`: the scheme a Worker endpoint sees in its request URL. */
  scheme: string;
  /** The authority a Worker endpoint sees (origins get their own, from their URL). */
  host: string;
  path: string;
  /** Query string with its `?`, or ``. */
  search: string;
  headers: Headers;
  /** A stream is sent once; an ArrayBuffer (a buffered body, see resilience/replay-body) can be sent again. */
  body: ReadableStream | ArrayBuffer | null;
  signal?: AbortSignal | null | undefined;
}

interface Origin {
  origin: string;
  /** Base path without trailing slash (`` for none). */
  basePath: string;
}
/** Outbound mTLS: the `mtls_certificates` binding of an endpoint, looked up once per endpoint object and env. */
interface ClientCertificate {
  env: ProxyEnv;
  fetcher: Fetcher | null;
}
const clientCertificates = new WeakMap<EndpointModel, ClientCertificate>();
// Parsed once per endpoint object, i.e. once per config revision.
const origins = new WeakMap<EndpointModel, Origin | null>();

/**
 * Starts the request to one endpoint. Not itself async: it returns the runtime's own promise (one frame and one
 * promise fewer per try); a caller that awaits it passes a rejection through `endpointFailure`. Throws a MeshError
 * at once when the endpoint cannot be reached by this proxy at all (no binding, no usable URL).
 */
export function sendToEndpoint(
  env: ProxyEnv,
  serviceKey: string,
  endpoint: EndpointModel,
  out: OutboundRequest,
): Promise<Response> {
  const init: RequestInit = {
    method: out.method,
    headers: out.headers,
    body: out.body,
    redirect: "manual",
    signal: out.signal,
  };
  if (endpoint.worker !== undefined) {
    const binding = workerBinding(env, endpoint.worker);
    if (binding === null) {
      throw new MeshError(
        "upstream_unavailable",
        `endpoint ${endpoint.id} of ${serviceKey}: the proxy has no service binding ${workerBindingName(endpoint.worker)} for Worker ${endpoint.worker}`,
      );
    }
    // A binding passes headers verbatim; keep Host consistent with the URL the Worker sees.
    out.headers.set("host", out.host);
    return binding.fetch(`${out.scheme}://${out.host}${out.path}${out.search}`, init);
  }
  const target = originOf(endpoint);
  if (target === null) {
    throw new MeshError("upstream_unavailable", `endpoint ${endpoint.id} of ${serviceKey} has no usable URL`);
  }
  const url = `${target.origin}${target.basePath}${out.path}${out.search}`;
  if (endpoint.mtlsCertificate === undefined) return fetch(url, init);
  // An mTLS certificate binding is a Fetcher that presents its client certificate to the origin.
  const certificate = clientCertificateOf(env, endpoint);
  if (certificate === null) {
    throw new MeshError(
      "upstream_unavailable",
      `endpoint ${endpoint.id} of ${serviceKey}: the proxy has no mtls_certificates binding ${endpoint.mtlsCertificate}`,
    );
  }
  return certificate.fetch(url, init);
}

/**
 * What a failed `sendToEndpoint` means to the rest of the proxy: a MeshError or the abort reason as they are, any
 * other failure (refused, reset, unreachable) `upstream_unavailable` with the runtime's error as its cause.
 */
export function endpointFailure(
  err: unknown,
  signal: AbortSignal | null | undefined,
  serviceKey: string,
  endpoint: EndpointModel,
): unknown {
  if (err instanceof MeshError) return err;
  if (signal?.aborted) return signal.reason;
  // The endpoint's address stays out of the client's answer.
  console.warn(
    `flaremesh-proxy: endpoint ${endpoint.id} of ${serviceKey} failed:`,
    err instanceof Error ? err.message : err,
  );
  const failure = new MeshError("upstream_unavailable", `endpoint ${endpoint.id} of ${serviceKey} is unavailable`);
  // The runtime's error stays attached: retries and outlier detection classify it (shared/resilience/outcome).
  failure.cause = err;
  return failure;
}

function clientCertificateOf(env: ProxyEnv, endpoint: EndpointModel): Fetcher | null {
  let cached = clientCertificates.get(endpoint);
  if (cached === undefined || cached.env !== env) {
    const binding = (env as unknown as Record<string, unknown>)[endpoint.mtlsCertificate ?? ""];
    const fetcher =
      typeof binding === "object" && binding !== null && typeof (binding as Fetcher).fetch === "function"
        ? (binding as Fetcher)
        : null;
    cached = { env, fetcher };
    clientCertificates.set(endpoint, cached);
  }
  return cached.fetcher;
}

function originOf(endpoint: EndpointModel): Origin | null {
  let target = origins.get(endpoint);
  if (target === undefined) {
    target = null;
    if (endpoint.url !== undefined && URL.canParse(endpoint.url)) {
      const u = new URL(endpoint.url);
      if (u.protocol === "http:" || u.protocol === "https:") {
        target = { origin: u.origin, basePath: u.pathname.replace(/\/+$/, "") };
      }
    }
    origins.set(endpoint, target);
  }
  return target;
}
