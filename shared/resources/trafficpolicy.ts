// flaremesh.dev/v1alpha1 TrafficPolicy: resilience and load-balancing settings for users who do not write Istio.
import * as z from "zod";
import {
  checkSingleScope,
  duration,
  headerName,
  abortStatus,
  nonNegativeInt,
  percentage,
  policyScope,
  positiveInt,
} from "./common";
import { percent } from "./istio-common";
import { retryOnError } from "./virtualservice";

/** `percentage: 50` or Istio-style `percentage: {value: 50}`. */
export const percentOrValue = z.union([percentage, percent]);

const hash = z
  .strictObject({
    header: headerName.optional(),
    cookie: z
      .union([
        z.string().min(1),
        z.strictObject({ name: z.string().min(1), ttl: duration.optional(), path: z.string().optional() }),
      ])
      .optional(),
    queryParam: z.string().min(1).optional(),
    sourceIp: z.boolean().optional(),
  })
  .superRefine((h, ctx) => {
    const keys = (["header", "cookie", "queryParam", "sourceIp"] as const).filter((k) => h[k] !== undefined);
    if (keys.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: keys.length > 1 ? [keys[1] ?? "cookie"] : [],
        message: "exactly one of header, cookie, queryParam, sourceIp must be set",
      });
    }
  });

export const TrafficPolicyLoadBalancer = z
  .strictObject({
    type: z.enum(["RoundRobin", "Random", "LeastRequest", "ConsistentHash"]).optional(),
    hash: hash.optional(),
  })
  .superRefine((lb, ctx) => {
    if (lb.type === "ConsistentHash" && lb.hash === undefined)
      ctx.addIssue({ code: "custom", path: ["hash"], message: "is required when type is ConsistentHash" });
    if (lb.hash !== undefined && lb.type !== undefined && lb.type !== "ConsistentHash") {
      ctx.addIssue({ code: "custom", path: ["hash"], message: "is only allowed when type is ConsistentHash" });
    }
  });

const retryOn = z.union([z.string(), z.array(z.string())]).superRefine((value, ctx) => {
  const problem = retryOnError(Array.isArray(value) ? value.join(",") : value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

const rateUnit = z.enum(["second", "minute", "hour"]);

const globalKey = z
  .strictObject({
    header: headerName.optional(),
    principal: z.literal(true).optional(),
    clientIp: z.literal(true).optional(),
  })
  .refine((k) => [k.header, k.principal, k.clientIp].filter((v) => v !== undefined).length === 1, {
    message: "exactly one of header, principal, clientIp must be set",
  });

export const TrafficPolicySpec = z
  .strictObject({
    ...policyScope,
    loadBalancer: TrafficPolicyLoadBalancer.optional(),
    circuitBreaker: z
      .strictObject({ maxConcurrentRequests: positiveInt.optional(), maxPendingRequests: nonNegativeInt.optional() })
      .optional(),
    outlierDetection: z
      .strictObject({
        consecutive5xxErrors: nonNegativeInt.optional(),
        consecutiveGatewayErrors: nonNegativeInt.optional(),
        interval: duration.optional(),
        baseEjectionTime: duration.optional(),
        maxEjectionPercent: z.number().int().min(0).max(100).optional(),
      })
      .optional(),
    retry: z
      .strictObject({
        attempts: nonNegativeInt.optional(),
        retryOn: retryOn.optional(),
        perTryTimeout: duration.optional(),
        backoff: duration.optional(),
      })
      .optional(),
    retryBudget: z
      .strictObject({ percent: percentage.optional(), minRetriesPerSecond: nonNegativeInt.optional() })
      .optional(),
    timeouts: z.strictObject({ request: duration.optional(), perTry: duration.optional() }).optional(),
    fault: z
      .strictObject({
        delay: z.strictObject({ fixedDelay: duration, percentage: percentOrValue.optional() }).optional(),
        abort: z.strictObject({ httpStatus: abortStatus, percentage: percentOrValue.optional() }).optional(),
      })
      .optional(),
    rateLimit: z
      .strictObject({
        local: z
          .strictObject({ requestsPerUnit: positiveInt, unit: rateUnit, burst: nonNegativeInt.optional() })
          .optional(),
        global: z.strictObject({ requestsPerUnit: positiveInt, unit: rateUnit, key: globalKey.optional() }).optional(),
      })
      .optional(),
  })
  .superRefine(checkSingleScope);
export type TrafficPolicySpec = z.infer<typeof TrafficPolicySpec>;
