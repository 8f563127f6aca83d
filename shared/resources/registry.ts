// The registry of accepted kinds: (apiVersion, kind) → spec schema, name rule and accepted-but-ignored fields.
import * as z from "zod";
import type { Kind, Resource } from "./resource";
import { metadataSchema } from "./common";
import { AuthorizationPolicySpec } from "./authorizationpolicy";
import { DestinationRuleSpec } from "./destinationrule";
import { HTTPRouteSpec } from "./httproute";
import { MeshConfigSpec } from "./meshconfig";
import { PeerAuthenticationSpec } from "./peerauthentication";
import { RequestAuthenticationSpec } from "./requestauthentication";
import { ServiceSpec } from "./service";
import { TelemetrySinkSpec } from "./telemetrysink";
import { TrafficPolicySpec } from "./trafficpolicy";
import { VirtualServiceSpec } from "./virtualservice";

export interface KindInfo {
  kind: Kind;
  apiVersions: readonly string[];
  spec: z.ZodType;
  /** Whether `spec` may be omitted (every field optional). */
  specOptional: boolean;
  /** Service and MeshConfig names become host labels and keys, so they must be DNS labels. */
  name: "label" | "subdomain";
  /**
   * Field paths accepted but not acted upon; a warning names each one present. `[]` walks every element
   * of a list, `{}` every value of a map.
   */
  ignored: readonly string[];
}

const FLAREMESH = ["flaremesh.dev/v1alpha1"];
const ISTIO_NETWORKING = ["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"];
const ISTIO_SECURITY = ["security.istio.io/v1", "security.istio.io/v1beta1"];
const GATEWAY = ["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"];

// Istio traffic-policy fields with no meaning on Workers (no connections, TLS or ports to tune).
const POOL_AND_TLS = [
  "tls",
  "portLevelSettings",
  "tunnel",
  "proxyProtocol",
  "connectionPool.tcp.connectTimeout",
  "connectionPool.tcp.tcpKeepalive",
  "connectionPool.tcp.maxConnectionDuration",
  "connectionPool.tcp.idleTimeout",
  "connectionPool.http.idleTimeout",
  "connectionPool.http.h2UpgradePolicy",
  "connectionPool.http.useClientProtocol",
  "connectionPool.http.maxConcurrentStreams",
  "connectionPool.http.maxRequestsPerConnection",
  "outlierDetection.splitExternalLocalOriginErrors",
  "outlierDetection.consecutiveLocalOriginFailures",
  "retryBudget.minRetryConcurrency",
];
const LB_EXTRAS = [
  "loadBalancer.localityLbSetting",
  "loadBalancer.warmup",
  "loadBalancer.warmupDurationSecs",
  "loadBalancer.consistentHash.ringHash",
  "loadBalancer.consistentHash.maglev",
  "loadBalancer.consistentHash.minimumRingSize",
];

export const KIND_INFO: Record<Kind, KindInfo> = {
  Service: {
    kind: "Service",
    apiVersions: FLAREMESH,
    spec: ServiceSpec,
    specOptional: true,
    name: "label",
    ignored: [],
  },
  HTTPRoute: {
    kind: "HTTPRoute",
    apiVersions: GATEWAY,
    spec: HTTPRouteSpec,
    specOptional: false,
    name: "subdomain",
    ignored: [
      "spec.hostnames",
      "spec.parentRefs[].sectionName",
      "spec.parentRefs[].port",
      "spec.rules[].sessionPersistence",
      "spec.rules[].backendRefs[].port",
      "spec.rules[].filters[].requestMirror.backendRef.port",
    ],
  },
  VirtualService: {
    kind: "VirtualService",
    apiVersions: ISTIO_NETWORKING,
    spec: VirtualServiceSpec,
    specOptional: false,
    name: "subdomain",
    ignored: [
      "spec.tls",
      "spec.tcp",
      "spec.exportTo",
      "spec.http[].delegate",
      ...["scheme", "port", "sourceLabels", "gateways", "sourceNamespace", "statPrefix"].map(
        (f) => `spec.http[].match[].${f}`,
      ),
      "spec.http[].route[].destination.port",
      "spec.http[].mirror.port",
      "spec.http[].mirrors[].destination.port",
      "spec.http[].redirect.derivePort",
      "spec.http[].retries.retryRemoteLocalities",
      "spec.http[].retries.retryIgnorePreviousHosts",
      "spec.http[].fault.delay.exponentialDelay",
      "spec.http[].fault.abort.grpcStatus",
      "spec.http[].fault.abort.http2Error",
      "spec.http[].corsPolicy.unmatchedPreflights",
    ],
  },
  DestinationRule: {
    kind: "DestinationRule",
    apiVersions: ISTIO_NETWORKING,
    spec: DestinationRuleSpec,
    specOptional: false,
    name: "subdomain",
    ignored: [
      "spec.exportTo",
      "spec.workloadSelector",
      ...[...POOL_AND_TLS, ...LB_EXTRAS].map((f) => `spec.trafficPolicy.${f}`),
      // Subsets override limits (pool, outlier detection, retry budget) but not the load balancer.
      ...[...POOL_AND_TLS, "loadBalancer"].map((f) => `spec.subsets[].trafficPolicy.${f}`),
    ],
  },
  PeerAuthentication: {
    kind: "PeerAuthentication",
    apiVersions: ISTIO_SECURITY,
    spec: PeerAuthenticationSpec,
    specOptional: true,
    name: "subdomain",
    ignored: ["spec.portLevelMtls"],
  },
  RequestAuthentication: {
    kind: "RequestAuthentication",
    apiVersions: ISTIO_SECURITY,
    spec: RequestAuthenticationSpec,
    specOptional: true,
    name: "subdomain",
    ignored: [],
  },
  AuthorizationPolicy: {
    kind: "AuthorizationPolicy",
    apiVersions: ISTIO_SECURITY,
    spec: AuthorizationPolicySpec,
    specOptional: true,
    name: "subdomain",
    ignored: [],
  },
  TrafficPolicy: {
    kind: "TrafficPolicy",
    apiVersions: FLAREMESH,
    spec: TrafficPolicySpec,
    specOptional: false,
    name: "subdomain",
    ignored: [],
  },
  TelemetrySink: {
    kind: "TelemetrySink",
    apiVersions: FLAREMESH,
    spec: TelemetrySinkSpec,
    specOptional: false,
    name: "subdomain",
    ignored: [],
  },
  MeshConfig: {
    kind: "MeshConfig",
    apiVersions: FLAREMESH,
    spec: MeshConfigSpec,
    specOptional: true,
    name: "label",
    ignored: [],
  },
};

/** Parsed spec type of each kind. */
export interface SpecByKind {
  Service: z.infer<typeof ServiceSpec>;
  HTTPRoute: z.infer<typeof HTTPRouteSpec>;
  VirtualService: z.infer<typeof VirtualServiceSpec>;
  DestinationRule: z.infer<typeof DestinationRuleSpec>;
  PeerAuthentication: z.infer<typeof PeerAuthenticationSpec>;
  RequestAuthentication: z.infer<typeof RequestAuthenticationSpec>;
  AuthorizationPolicy: z.infer<typeof AuthorizationPolicySpec>;
  TrafficPolicy: z.infer<typeof TrafficPolicySpec>;
  TelemetrySink: z.infer<typeof TelemetrySinkSpec>;
  MeshConfig: z.infer<typeof MeshConfigSpec>;
}

/** A resource of one kind with its typed spec. */
export type ResourceOf<K extends Kind> = Resource<SpecByKind[K]> & { kind: K };

export type ServiceResource = ResourceOf<"Service">;
export type HTTPRouteResource = ResourceOf<"HTTPRoute">;
export type VirtualServiceResource = ResourceOf<"VirtualService">;
export type DestinationRuleResource = ResourceOf<"DestinationRule">;
export type PeerAuthenticationResource = ResourceOf<"PeerAuthentication">;
export type RequestAuthenticationResource = ResourceOf<"RequestAuthentication">;
export type AuthorizationPolicyResource = ResourceOf<"AuthorizationPolicy">;
export type TrafficPolicyResource = ResourceOf<"TrafficPolicy">;
export type TelemetrySinkResource = ResourceOf<"TelemetrySink">;
export type MeshConfigResource = ResourceOf<"MeshConfig">;

/** Narrows a validated resource to its kind (specs of stored resources were validated on apply). */
export function isKind<K extends Kind>(resource: Resource, kind: K): resource is ResourceOf<K> {
  return resource.kind === kind;
}

/** The resources of one kind, typed. */
export function ofKind<K extends Kind>(resources: readonly Resource[], kind: K): ResourceOf<K>[] {
  return resources.filter((r): r is ResourceOf<K> => isKind(r, kind));
}

/** Looks up a kind by its exact `kind` string (Kubernetes kinds are case-sensitive). */
export function kindInfo(kind: string): KindInfo | undefined {
  return Object.prototype.hasOwnProperty.call(KIND_INFO, kind) ? KIND_INFO[kind as Kind] : undefined;
}

/** The accepted (apiVersion, kind) pairs, e.g. for `kubectl api-resources`-style listings. */
export function acceptedTypes(): { apiVersion: string; kind: Kind }[] {
  return Object.values(KIND_INFO).flatMap((info) =>
    info.apiVersions.map((apiVersion) => ({ apiVersion, kind: info.kind })),
  );
}

const documentSchemas = new Map<Kind, z.ZodType>();

/** The whole-document schema of a kind: envelope (apiVersion, kind, metadata, spec, ignored status) + spec. */
export function documentSchema(info: KindInfo): z.ZodType {
  let schema = documentSchemas.get(info.kind);
  if (schema === undefined) {
    schema = z.strictObject({
      apiVersion: z.string(),
      kind: z.string(),
      metadata: metadataSchema(info.name),
      spec: info.specOptional ? info.spec.optional() : info.spec,
      status: z.unknown().optional(),
    });
    documentSchemas.set(info.kind, schema);
  }
  return schema;
}
