// networking.istio.io DestinationRule (v1, v1beta1, v1alpha3): subsets and traffic policy for a Service host.
import * as z from "zod";
import { duration, nonNegativeInt, percentage, positiveInt, selector, stringMap } from "./common";
import { exportTo, portSelector } from "./istio-common";

export const ConsistentHashLB = z
  .strictObject({
    httpHeaderName: z.string().min(1).optional(),
    httpCookie: z
      .strictObject({
        name: z.string().min(1),
        path: z.string().optional(),
        ttl: duration.optional(),
        attributes: z.array(z.strictObject({ name: z.string(), value: z.string().optional() })).optional(),
      })
      .optional(),
    useSourceIp: z.boolean().optional(),
    httpQueryParameterName: z.string().min(1).optional(),
    ringHash: z.strictObject({ minimumRingSize: positiveInt.optional() }).optional(),
    maglev: z.strictObject({ tableSize: positiveInt.optional() }).optional(),
    minimumRingSize: positiveInt.optional(),
  })
  .superRefine((h, ctx) => {
    const keys = (["httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"] as const).filter(
      (k) => h[k] !== undefined,
    );
    if (keys.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: keys.length > 1 ? [keys[1] ?? "httpCookie"] : [],
        message: "exactly one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName must be set",
      });
    }
  });
export type ConsistentHashLB = z.infer<typeof ConsistentHashLB>;

export const SIMPLE_LB = [
  "UNSPECIFIED",
  "LEAST_CONN",
  "RANDOM",
  "PASSTHROUGH",
  "ROUND_ROBIN",
  "LEAST_REQUEST",
] as const;

export const LoadBalancerSettings = z
  .strictObject({
    simple: z.enum(SIMPLE_LB).optional(),
    consistentHash: ConsistentHashLB.optional(),
    localityLbSetting: z.record(z.string(), z.unknown()).optional(),
    warmupDurationSecs: duration.optional(),
    warmup: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((lb) => lb.simple === undefined || lb.consistentHash === undefined, {
    message: "only one of simple or consistentHash may be set",
    path: ["consistentHash"],
  });
export type LoadBalancerSettings = z.infer<typeof LoadBalancerSettings>;

export const ConnectionPoolSettings = z.strictObject({
  tcp: z
    .strictObject({
      maxConnections: positiveInt.optional(),
      connectTimeout: duration.optional(),
      tcpKeepalive: z
        .strictObject({ probes: nonNegativeInt.optional(), time: duration.optional(), interval: duration.optional() })
        .optional(),
      maxConnectionDuration: duration.optional(),
      idleTimeout: duration.optional(),
    })
    .optional(),
  http: z
    .strictObject({
      http1MaxPendingRequests: positiveInt.optional(),
      http2MaxRequests: positiveInt.optional(),
      maxRequestsPerConnection: nonNegativeInt.optional(),
      maxRetries: nonNegativeInt.optional(),
      idleTimeout: duration.optional(),
      h2UpgradePolicy: z.enum(["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"]).optional(),
      useClientProtocol: z.boolean().optional(),
      maxConcurrentStreams: positiveInt.optional(),
    })
    .optional(),
});
export type ConnectionPoolSettings = z.infer<typeof ConnectionPoolSettings>;

export const OutlierDetection = z.strictObject({
  consecutiveErrors: nonNegativeInt.optional(),
  splitExternalLocalOriginErrors: z.boolean().optional(),
  consecutiveLocalOriginFailures: nonNegativeInt.optional(),
  consecutiveGatewayErrors: nonNegativeInt.optional(),
  consecutive5xxErrors: nonNegativeInt.optional(),
  interval: duration.optional(),
  baseEjectionTime: duration.optional(),
  maxEjectionPercent: z.number().int().min(0).max(100).optional(),
  minHealthPercent: z.number().int().min(0).max(100).optional(),
});
export type OutlierDetection = z.infer<typeof OutlierDetection>;

/** Envoy-style retry budget (Istio exposes it on recent releases; flaremesh accepts it everywhere). */
export const RetryBudget = z.strictObject({
  percent: percentage.optional(),
  minRetryConcurrency: nonNegativeInt.optional(),
});

const ClientTLSSettings = z.strictObject({
  mode: z.enum(["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"]).optional(),
  clientCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  subjectAltNames: z.array(z.string()).optional(),
  sni: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
  caCrl: z.string().optional(),
});

const policyFields = {
  loadBalancer: LoadBalancerSettings.optional(),
  connectionPool: ConnectionPoolSettings.optional(),
  outlierDetection: OutlierDetection.optional(),
  tls: ClientTLSSettings.optional(),
};

export const IstioTrafficPolicy = z.strictObject({
  ...policyFields,
  portLevelSettings: z.array(z.strictObject({ port: portSelector.optional(), ...policyFields })).optional(),
  tunnel: z
    .strictObject({ protocol: z.string().optional(), targetHost: z.string(), targetPort: z.number().int() })
    .optional(),
  proxyProtocol: z.strictObject({ version: z.enum(["V1", "V2"]).optional() }).optional(),
  retryBudget: RetryBudget.optional(),
});
export type IstioTrafficPolicy = z.infer<typeof IstioTrafficPolicy>;

export const Subset = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "must be a subset name (letters, digits, '-', '_', '.')"),
  labels: stringMap.optional(),
  trafficPolicy: IstioTrafficPolicy.optional(),
});

export const DestinationRuleSpec = z
  .strictObject({
    host: z.string().min(1, "must not be empty"),
    trafficPolicy: IstioTrafficPolicy.optional(),
    subsets: z.array(Subset).max(256).optional(),
    exportTo: exportTo.optional(),
    workloadSelector: selector.optional(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    (spec.subsets ?? []).forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({ code: "custom", path: ["subsets", i, "name"], message: `duplicate subset name ${s.name}` });
      seen.add(s.name);
    });
  });
export type DestinationRuleSpec = z.infer<typeof DestinationRuleSpec>;
