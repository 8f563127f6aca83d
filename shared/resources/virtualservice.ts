// networking.istio.io VirtualService (v1, v1beta1, v1alpha3): Istio routing for a Service host.
import * as z from "zod";
import { abortStatus, duration, headerName, httpStatus, nonNegativeInt, port, regex, weight } from "./common";
import { destination, exportTo, headers, percent, stringMatch } from "./istio-common";
import { REDIRECT_STATUS_CODES } from "./httproute";

const headerMatchMap = z.record(headerName, stringMatch);
const queryMatchMap = z.record(z.string().min(1), stringMatch);

export const HTTPMatchRequest = z
  .strictObject({
    name: z.string().optional(),
    uri: stringMatch.optional(),
    scheme: stringMatch.optional(),
    method: stringMatch.optional(),
    authority: stringMatch.optional(),
    headers: headerMatchMap.optional(),
    port: port.optional(),
    sourceLabels: z.record(z.string(), z.string()).optional(),
    gateways: z.array(z.string()).optional(),
    queryParams: queryMatchMap.optional(),
    ignoreUriCase: z.boolean().optional(),
    withoutHeaders: headerMatchMap.optional(),
    sourceNamespace: z.string().optional(),
    statPrefix: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.method !== undefined && (m.method.prefix !== undefined || m.method.regex !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["method"], message: "only exact method matches are supported" });
    }
  });
export type HTTPMatchRequest = z.infer<typeof HTTPMatchRequest>;

export const HTTPRouteDestination = z.strictObject({
  destination,
  weight: weight.optional(),
  headers: headers.optional(),
});
export type HTTPRouteDestination = z.infer<typeof HTTPRouteDestination>;

export const HTTPRedirect = z.strictObject({
  uri: z.string().optional(),
  authority: z.string().optional(),
  port: port.optional(),
  derivePort: z.enum(["FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"]).optional(),
  scheme: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]*$/, "must be a URI scheme such as https")
    .optional(),
  redirectCode: z
    .number()
    .int()
    .refine((c) => (REDIRECT_STATUS_CODES as readonly number[]).includes(c), "must be one of 301, 302, 303, 307, 308")
    .optional(),
});

export const HTTPRewrite = z.strictObject({
  uri: z.string().optional(),
  authority: z.string().optional(),
  uriRegexRewrite: z.strictObject({ match: regex, rewrite: z.string() }).optional(),
});

// Envoy `x-envoy-retry-on` / `x-envoy-retry-grpc-on` policies accepted by Istio's `retryOn`.
const RETRY_ON = new Set([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "envoy-ratelimited",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "retriable-headers",
  "http3-post-connect-failure",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);

/** Problem with an Istio `retryOn` comma list, or undefined. */
export function retryOnError(value: string): string | undefined {
  for (const raw of value.split(",")) {
    const item = raw.trim();
    if (!RETRY_ON.has(item) && !/^[1-5]\d\d$/.test(item)) return `unknown retry condition "${item}"`;
  }
  return undefined;
}

export const HTTPRetry = z.strictObject({
  attempts: nonNegativeInt.optional(),
  perTryTimeout: duration.optional(),
  retryOn: z
    .string()
    .superRefine((v, ctx) => {
      const problem = retryOnError(v);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  retryRemoteLocalities: z.boolean().optional(),
  retryIgnorePreviousHosts: z.boolean().optional(),
  backoff: duration.optional(),
});

export const HTTPFaultInjection = z.strictObject({
  delay: z
    .strictObject({
      fixedDelay: duration.optional(),
      exponentialDelay: duration.optional(),
      percentage: percent.optional(),
      percent: z.number().int().min(0).max(100).optional(),
    })
    .refine((d) => d.fixedDelay !== undefined, { message: "fixedDelay is required", path: ["fixedDelay"] })
    .optional(),
  abort: z
    .strictObject({
      httpStatus: abortStatus.optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: percent.optional(),
    })
    .refine((a) => a.httpStatus !== undefined, { message: "httpStatus is required", path: ["httpStatus"] })
    .optional(),
});

export const CorsPolicy = z.strictObject({
  allowOrigins: z.array(stringMatch).optional(),
  allowOrigin: z.array(z.string()).optional(),
  allowMethods: z.array(z.string()).optional(),
  allowHeaders: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAge: duration.optional(),
  allowCredentials: z.boolean().optional(),
  unmatchedPreflights: z.enum(["UNSPECIFIED", "FORWARD", "IGNORE"]).optional(),
});

export const HTTPDirectResponse = z.strictObject({
  status: httpStatus,
  body: z
    .strictObject({
      string: z.string().optional(),
      bytes: z
        .string()
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64")
        .optional(),
    })
    .refine((b) => b.string === undefined || b.bytes === undefined, {
      message: "only one of string or bytes may be set",
      path: ["bytes"],
    })
    .optional(),
});

export const HTTPMirrorPolicy = z.strictObject({ destination, percentage: percent.optional() });

export const VirtualServiceHTTPRoute = z
  .strictObject({
    name: z.string().optional(),
    match: z.array(HTTPMatchRequest).optional(),
    route: z.array(HTTPRouteDestination).optional(),
    redirect: HTTPRedirect.optional(),
    directResponse: HTTPDirectResponse.optional(),
    delegate: z.strictObject({ name: z.string(), namespace: z.string().optional() }).optional(),
    rewrite: HTTPRewrite.optional(),
    timeout: duration.optional(),
    retries: HTTPRetry.optional(),
    fault: HTTPFaultInjection.optional(),
    mirror: destination.optional(),
    mirrorPercentage: percent.optional(),
    mirrorPercent: z.number().int().min(0).max(100).optional(),
    mirror_percent: z.number().int().min(0).max(100).optional(),
    mirrors: z.array(HTTPMirrorPolicy).optional(),
    corsPolicy: CorsPolicy.optional(),
    headers: headers.optional(),
  })
  .superRefine((r, ctx) => {
    const actions = (["route", "redirect", "directResponse", "delegate"] as const).filter((k) => r[k] !== undefined);
    if (actions.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["route"],
        message: "one of route, redirect, directResponse or delegate is required",
      });
    } else if (actions.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [actions[1] ?? "redirect"],
        message: `only one of ${actions.join(", ")} may be set`,
      });
    }
    if (r.route !== undefined && r.route.length === 0) {
      ctx.addIssue({ code: "custom", path: ["route"], message: "must name at least one destination" });
    }
    if (r.rewrite !== undefined && r.redirect !== undefined) {
      ctx.addIssue({ code: "custom", path: ["rewrite"], message: "rewrite cannot be used with redirect" });
    }
    if (r.mirror !== undefined && r.mirrors !== undefined) {
      ctx.addIssue({ code: "custom", path: ["mirrors"], message: "only one of mirror or mirrors may be set" });
    }
    const uriRegex = r.rewrite?.uriRegexRewrite;
    if (uriRegex !== undefined && r.rewrite?.uri !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["rewrite", "uriRegexRewrite"],
        message: "only one of uri or uriRegexRewrite may be set",
      });
    }
  });
export type VirtualServiceHTTPRoute = z.infer<typeof VirtualServiceHTTPRoute>;

export const VirtualServiceSpec = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1, "at least one host is required"),
  gateways: z.array(z.string()).optional(),
  http: z.array(VirtualServiceHTTPRoute).max(256).optional(),
  tls: z.array(z.record(z.string(), z.unknown())).optional(),
  tcp: z.array(z.record(z.string(), z.unknown())).optional(),
  exportTo: exportTo.optional(),
});
export type VirtualServiceSpec = z.infer<typeof VirtualServiceSpec>;
