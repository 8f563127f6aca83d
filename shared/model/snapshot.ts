// The compiled configuration a proxy serves: one internal model that Istio and Gateway API documents
// are translated into (by shared/compile), validated again by the proxy when it loads a revision.
import * as z from "zod";
import { MeshResilienceModel, ServiceResilienceModel } from "./resilience";
import { ServiceSecurityModel } from "./security";
import { TelemetryModel } from "./telemetry";
import { TRACE_PROPAGATORS } from "../telemetry/trace-context";

/**
 * What compilers write. Format 2: a Service no PeerAuthentication decides for has no peer mode in its model (the
 * proxy applies `mesh.defaultMtlsMode`); format 1 resolved it into every model. A proxy of format 1 refuses format 2
 * (it would read the missing mode as PERMISSIVE) and keeps its last good revision; proxies read both.
 */
export const SNAPSHOT_FORMAT = 2;

import { ServiceKey } from "./service-key";
export { ServiceKey };

export const EndpointModel = z.strictObject({
  /** Stable id, unique within the service (used for round-robin state, ejection, logs). */
  id: z.string().min(1),
  /** Origin URL (`http(s)://host[:port][/base]`); exactly one of `url` / `worker` is set. */
  url: z.string().optional(),
  /** Name of a Worker reached through a service binding. */
  worker: z.string().optional(),
  weight: z.number().int().min(0).default(1),
  labels: z.record(z.string(), z.string()).default({}),
  zone: z.string().optional(),
  /** Additive (outbound mTLS): the proxy binding (`mtls_certificates`, a Fetcher) that sends to this https origin. */
  mtlsCertificate: z.string().optional(),
});
export type EndpointModel = z.infer<typeof EndpointModel>;

/** How a string is compared. `Prefix` is a plain string prefix (Istio); `PathPrefix` is segment-wise (Gateway API). */
export const StringMatchModel = z.strictObject({
  type: z.enum(["Exact", "Prefix", "RegularExpression"]),
  value: z.string(),
});
export type StringMatchModel = z.infer<typeof StringMatchModel>;

export const PathMatchModel = z.strictObject({
  type: z.enum(["Exact", "PathPrefix", "Prefix", "RegularExpression"]),
  value: z.string(),
  /** Istio `ignoreUriCase`. */
  ignoreCase: z.boolean().optional(),
});
export type PathMatchModel = z.infer<typeof PathMatchModel>;

/** A header or query-parameter condition. `Present` matches any value; `invert` (Istio `withoutHeaders`) negates. */
export const KeyValueMatchModel = z.strictObject({
  /** Header names are stored lower-case; query parameter names as written (case-sensitive). */
  name: z.string().min(1),
  type: z.enum(["Exact", "Prefix", "RegularExpression", "Present"]),
  value: z.string().default(""),
  invert: z.boolean().optional(),
});
export type KeyValueMatchModel = z.infer<typeof KeyValueMatchModel>;

/** All conditions of one match are AND-ed; the matches of a route are OR-ed. */
export const RouteMatchModel = z.strictObject({
  path: PathMatchModel.optional(),
  headers: z.array(KeyValueMatchModel).default([]),
  queryParams: z.array(KeyValueMatchModel).default([]),
  method: z.string().optional(),
  authority: StringMatchModel.optional(),
});
export type RouteMatchModel = z.infer<typeof RouteMatchModel>;

export const HeaderMutationModel = z.strictObject({
  set: z.array(z.strictObject({ name: z.string(), value: z.string() })).default([]),
  add: z.array(z.strictObject({ name: z.string(), value: z.string() })).default([]),
  remove: z.array(z.string()).default([]),
});
export type HeaderMutationModel = z.infer<typeof HeaderMutationModel>;

export const BackendModel = z.strictObject({
  /** The Service whose endpoints serve this backend. */
  service: ServiceKey,
  /** Istio DestinationRule subset name; its labels are in the destination service's `subsets`. */
  subset: z.string().optional(),
  weight: z.number().int().min(0).default(1),
  requestHeaders: HeaderMutationModel.optional(),
  responseHeaders: HeaderMutationModel.optional(),
});
export type BackendModel = z.infer<typeof BackendModel>;

export const RedirectModel = z.strictObject({
  scheme: z.string().optional(),
  hostname: z.string().optional(),
  port: z.number().int().optional(),
  path: z.strictObject({ type: z.enum(["ReplaceFullPath", "ReplacePrefixMatch"]), value: z.string() }).optional(),
  statusCode: z.number().int().default(302),
});
export type RedirectModel = z.infer<typeof RedirectModel>;

export const RewriteModel = z.strictObject({
  hostname: z.string().optional(),
  path: z
    .strictObject({
      type: z.enum(["ReplaceFullPath", "ReplacePrefixMatch", "RegexReplace"]),
      value: z.string(),
      /** For `RegexReplace` (Istio `uriRegexRewrite.match`). */
      pattern: z.string().optional(),
    })
    .optional(),
});
export type RewriteModel = z.infer<typeof RewriteModel>;

export const MirrorModel = z.strictObject({
  service: ServiceKey,
  subset: z.string().optional(),
  /** 0–100, may be fractional. */
  percent: z.number().min(0).max(100).default(100),
});
export type MirrorModel = z.infer<typeof MirrorModel>;

export const RetryModel = z.strictObject({
  /** Retries, not tries: `attempts: 2` means at most 3 tries. */
  attempts: z.number().int().min(0),
  retryOn: z.array(z.string()).default([]),
  codes: z.array(z.number().int()).default([]),
  perTryTimeoutMs: z.number().int().positive().optional(),
  backoffBaseMs: z.number().int().positive().optional(),
});
export type RetryModel = z.infer<typeof RetryModel>;

export const FaultModel = z.strictObject({
  delay: z.strictObject({ ms: z.number().int().min(0), percent: z.number().min(0).max(100) }).optional(),
  abort: z.strictObject({ status: z.number().int(), percent: z.number().min(0).max(100) }).optional(),
});
export type FaultModel = z.infer<typeof FaultModel>;

export const CorsModel = z.strictObject({
  allowOrigins: z.array(StringMatchModel).default([]),
  allowMethods: z.array(z.string()).default([]),
  allowHeaders: z.array(z.string()).default([]),
  exposeHeaders: z.array(z.string()).default([]),
  maxAgeSeconds: z.number().int().optional(),
  allowCredentials: z.boolean().optional(),
});
export type CorsModel = z.infer<typeof CorsModel>;

export const RouteModel = z.strictObject({
  /** Where it came from, for logs and errors: `HTTPRoute/default/reviews#rule0` or `VirtualService/default/reviews#http0`. */
  id: z.string(),
  /** Empty means: matches every request. */
  matches: z.array(RouteMatchModel).default([]),
  backends: z.array(BackendModel).default([]),
  requestHeaders: HeaderMutationModel.optional(),
  responseHeaders: HeaderMutationModel.optional(),
  redirect: RedirectModel.optional(),
  rewrite: RewriteModel.optional(),
  mirrors: z.array(MirrorModel).default([]),
  timeoutMs: z.number().int().positive().optional(),
  retry: RetryModel.optional(),
  fault: FaultModel.optional(),
  cors: CorsModel.optional(),
  directResponse: z.strictObject({ status: z.number().int(), body: z.string().optional() }).optional(),
});
export type RouteModel = z.infer<typeof RouteModel>;

export const LoadBalancerModel = z.strictObject({
  type: z.enum(["RoundRobin", "Random", "LeastRequest", "ConsistentHash"]).default("RoundRobin"),
  hash: z
    .strictObject({
      header: z.string().optional(),
      cookie: z
        .strictObject({ name: z.string(), ttlSeconds: z.number().optional(), path: z.string().optional() })
        .optional(),
      queryParam: z.string().optional(),
      sourceIp: z.boolean().optional(),
    })
    .optional(),
});
export type LoadBalancerModel = z.infer<typeof LoadBalancerModel>;

/** Per-destination policy (from DestinationRule / TrafficPolicy); the resilience issue extends it. */
export const DestinationPolicyModel = z.looseObject({
  loadBalancer: LoadBalancerModel.optional(),
  /** Timeouts, retries, breaker, outlier detection, rate limits, faults, health checks (shared/model/resilience.ts). */
  resilience: ServiceResilienceModel.optional(),
  /** Peer authentication, end-user JWT rules, authorization policies (shared/model/security.ts). */
  security: ServiceSecurityModel.optional(),
});
export type DestinationPolicyModel = z.infer<typeof DestinationPolicyModel>;

export const ServiceModel = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()).default({}),
  endpoints: z.array(EndpointModel).default([]),
  /** Subset name → endpoint label selector (from the DestinationRule whose host is this service). */
  subsets: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Ordered: the proxy takes the first route that matches. Precedence is resolved at compile time. */
  routes: z.array(RouteModel).default([]),
  /** Which kind of document the routes came from. */
  routeSource: z.enum(["HTTPRoute", "VirtualService", "default"]).default("default"),
  /** Policy applied when this service is the destination of a request. */
  policy: DestinationPolicyModel.default({}),
});
export type ServiceModel = z.infer<typeof ServiceModel>;

export const MeshConfigModel = z.looseObject({
  trustDomain: z.string().default("cluster.local"),
  defaultTimeoutMs: z.number().int().positive().optional(),
  allowedEndpointCidrs: z.array(z.string()).default([]),
  /** Where no PeerAuthentication decides a Service's peer mode (`effectivePeerMode`); absent = PERMISSIVE. */
  defaultMtlsMode: z.enum(["STRICT", "PERMISSIVE", "DISABLE"]).optional(),
  resilience: MeshResilienceModel.optional(),
  /**
   * Additive (observability): MeshConfig `tracing`: share of new traces sampled (absent = 100) and the trace
   * header formats written upstream (absent = all of TRACE_PROPAGATORS).
   */
  tracing: z
    .strictObject({
      samplingPercent: z.number().min(0).max(100).optional(),
      propagation: z.array(z.enum(TRACE_PROPAGATORS)).min(1).optional(),
    })
    .optional(),
  /** Additive: MeshConfig `requestId`: whether responses carry `x-request-id` (absent = true). */
  requestId: z.strictObject({ setInResponse: z.boolean().optional() }).optional(),
});
export type MeshConfigModel = z.infer<typeof MeshConfigModel>;

export const SnapshotModel = z.strictObject({
  format: z.union([z.literal(1), z.literal(SNAPSHOT_FORMAT)]),
  revision: z.number().int().min(0),
  generatedAt: z.string(),
  mesh: MeshConfigModel,
  /** Keyed by service key `<namespace>/<name>`. */
  services: z.record(z.string(), ServiceModel),
  /** Telemetry sinks and sampling (shared/model/telemetry.ts); absent = metrics only, no shipping. */
  telemetry: TelemetryModel.optional(),
});
export type SnapshotModel = z.infer<typeof SnapshotModel>;

/** Parses an untrusted snapshot (e.g. fetched by a proxy); returns null when it is invalid. */
export function parseSnapshot(value: unknown): SnapshotModel | null {
  const result = SnapshotModel.safeParse(value);
  return result.success ? result.data : null;
}

/** A validated snapshot, with what `parseSnapshotReusing` needs to validate the next one incrementally. */
export interface ValidatedSnapshot {
  snapshot: SnapshotModel;
  /** Per service key: the service's JSON text and the model validated from it. */
  services: Map<string, { text: string; model: ServiceModel }>;
}

const SnapshotEnvelope = SnapshotModel.extend({ services: z.record(z.string(), z.unknown()) });

/** Validates one service of a snapshot: the model (defaults filled in), or null when invalid. */
export type ServiceValidator = (value: unknown) => ServiceModel | null;

/** zod's ServiceModel parse: what the control plane uses; the proxy uses the same model compiled into closures (validate-service.ts), with equal results. */
export const parseServiceModel: ServiceValidator = (value) => {
  const parsed = ServiceModel.safeParse(value);
  return parsed.success ? parsed.data : null;
};

/**
 * `parseSnapshot` for a proxy that holds the previous revision: a service whose JSON text is unchanged keeps its
 * validated model — the same object — and only the other services are validated, whatever the mesh settings (a
 * service's model does not depend on them; what the proxy derives from both is kept with the mesh settings it was
 * derived from, as in workers/proxy/src/resilience/route-policy.ts). At 1,000 services a one-line change then
 * validates one service, not 5 MB. The snapshot returned equals what `parseSnapshot` returns (`snapshot.test.ts`);
 * null when it is invalid.
 */
export function parseSnapshotReusing(
  value: unknown,
  previous: ValidatedSnapshot | null,
  validateService: ServiceValidator = parseServiceModel,
): ValidatedSnapshot | null {
  const envelope = SnapshotEnvelope.safeParse(value);
  if (!envelope.success) return null;
  const raw = value as { services: Record<string, unknown> };
  const reusable = previous?.services;
  const services = new Map<string, { text: string; model: ServiceModel }>();
  const models: Record<string, ServiceModel> = {};
  for (const [key, service] of Object.entries(raw.services)) {
    const text = JSON.stringify(service);
    const model = heldOrValidated(reusable?.get(key), text, () => service, validateService);
    if (model === null) return null;
    services.set(key, { text, model });
    models[key] = model;
  }
  return { snapshot: { ...envelope.data, services: models }, services };
}

/**
 * The next revision from a `SnapshotDelta` (snapshot-parts.ts) and the proxy's validated copy of the revision the
 * delta starts from: services sent are validated (or reused when their text is unchanged, as in
 * `parseSnapshotReusing`), services sent as null are the previous ones. Equals `parseSnapshotReusing` on the whole
 * snapshot (`snapshot-parts.test.ts`); null when the delta is malformed, invalid or for another base revision.
 */
export function parseSnapshotDelta(
  delta: unknown,
  previous: ValidatedSnapshot,
  validateService: ServiceValidator = parseServiceModel,
): ValidatedSnapshot | null {
  if (typeof delta !== "object" || delta === null) return null;
  const { from, revision, head, services: sent } = delta as Record<string, unknown>;
  if (from !== previous.snapshot.revision || typeof head !== "string") return null;
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) return null;
  let headValue: unknown;
  try {
    headValue = JSON.parse(head);
  } catch {
    return null;
  }
  if (typeof headValue !== "object" || headValue === null || Array.isArray(headValue)) return null;
  const envelope = SnapshotEnvelope.safeParse({ ...headValue, services: {} });
  if (!envelope.success || envelope.data.revision !== revision) return null;
  const services = new Map<string, { text: string; model: ServiceModel }>();
  const models: Record<string, ServiceModel> = {};
  for (const [key, value] of Object.entries(sent)) {
    const prior = previous.services.get(key);
    const text = value === null ? prior?.text : value;
    if (typeof text !== "string") return null;
    const model = heldOrValidated(prior, text, () => jsonOrUndefined(text), validateService);
    if (model === null) return null;
    services.set(key, { text, model });
    models[key] = model;
  }
  return { snapshot: { ...envelope.data, services: models }, services };
}

/** The model held for a service whose JSON text is unchanged; else its value validated (null when invalid). */
function heldOrValidated(
  prior: { text: string; model: ServiceModel } | undefined,
  text: string,
  value: () => unknown,
  validateService: ServiceValidator,
): ServiceModel | null {
  if (prior !== undefined && prior.text === text) return prior.model;
  return validateService(value());
}

/** Not JSON: undefined, which no service model accepts. */
function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
