// gateway.networking.k8s.io/v1 (and v1beta1) HTTPRoute, GAMMA flavour: routes attached to Services.
import * as z from "zod";
import { dnsLabel, duration, headerName, httpMethod, port, regexError, weight } from "./common";

const pathValue = z.string().startsWith("/", "must start with /").max(1024);

/** `parentRefs[]`: GAMMA attaches to `kind: Service` (group ""); Gateway parents are accepted and ignored. */
export const ParentReference = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  namespace: dnsLabel.optional(),
  name: z.string().min(1),
  sectionName: z.string().optional(),
  port: port.optional(),
});
export type ParentReference = z.infer<typeof ParentReference>;

/** Whether a parentRef names a Service (GAMMA) rather than a Gateway (the Gateway API default kind). */
export function isServiceParent(ref: ParentReference): boolean {
  return ref.kind === "Service" && (ref.group === undefined || ref.group === "" || ref.group === "core");
}

const backendRefFields = {
  group: z.string().optional(),
  kind: z.string().optional(),
  name: dnsLabel,
  namespace: dnsLabel.optional(),
  port: port.optional(),
};

function checkServiceRef(ref: { group?: string; kind?: string }, ctx: z.RefinementCtx): void {
  if (ref.kind !== undefined && ref.kind !== "Service") {
    ctx.addIssue({ code: "custom", path: ["kind"], message: `backend kind must be Service, not ${ref.kind}` });
  }
  if (ref.group !== undefined && ref.group !== "" && ref.group !== "core") {
    ctx.addIssue({ code: "custom", path: ["group"], message: 'a Service backend has group "" (core)' });
  }
}

/** A reference to another Service (RequestMirror). */
export const BackendObjectReference = z.strictObject(backendRefFields).superRefine(checkServiceRef);
export type BackendObjectReference = z.infer<typeof BackendObjectReference>;

const HTTPPathMatch = z
  .strictObject({
    type: z.enum(["Exact", "PathPrefix", "RegularExpression"]).optional(),
    value: z.string().max(1024).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.value === undefined) return;
    if (m.type === "RegularExpression") {
      const problem = regexError(m.value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
    } else if (!m.value.startsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "must start with /" });
    }
  });

function keyValueMatch(name: z.ZodType<string>) {
  return z
    .strictObject({ type: z.enum(["Exact", "RegularExpression"]).optional(), name, value: z.string().max(4096) })
    .superRefine((m, ctx) => {
      if (m.type !== "RegularExpression") return;
      const problem = regexError(m.value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
    });
}

export const HTTPRouteMatch = z.strictObject({
  path: HTTPPathMatch.optional(),
  headers: z.array(keyValueMatch(headerName)).max(16).optional(),
  queryParams: z
    .array(keyValueMatch(z.string().min(1)))
    .max(16)
    .optional(),
  method: httpMethod.optional(),
});
export type HTTPRouteMatch = z.infer<typeof HTTPRouteMatch>;

const HTTPHeader = z.strictObject({ name: headerName, value: z.string() });
export const HTTPHeaderFilter = z.strictObject({
  set: z.array(HTTPHeader).max(16).optional(),
  add: z.array(HTTPHeader).max(16).optional(),
  remove: z.array(headerName).max(16).optional(),
});
export type HTTPHeaderFilter = z.infer<typeof HTTPHeaderFilter>;

export const HTTPPathModifier = z
  .strictObject({
    type: z.enum(["ReplaceFullPath", "ReplacePrefixMatch"]),
    replaceFullPath: pathValue.optional(),
    replacePrefixMatch: pathValue.optional(),
  })
  .superRefine((p, ctx) => {
    const field = p.type === "ReplaceFullPath" ? "replaceFullPath" : "replacePrefixMatch";
    const other = p.type === "ReplaceFullPath" ? "replacePrefixMatch" : "replaceFullPath";
    if (p[field] === undefined)
      ctx.addIssue({ code: "custom", path: [field], message: `is required when type is ${p.type}` });
    if (p[other] !== undefined)
      ctx.addIssue({ code: "custom", path: [other], message: `must not be set when type is ${p.type}` });
  });
export type HTTPPathModifier = z.infer<typeof HTTPPathModifier>;

export const REDIRECT_STATUS_CODES = [301, 302, 303, 307, 308] as const;

const hostname = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\d+)?$/, "must be a hostname");

export const HTTPRequestRedirectFilter = z.strictObject({
  scheme: z.enum(["http", "https"]).optional(),
  hostname: hostname.optional(),
  path: HTTPPathModifier.optional(),
  port: port.optional(),
  statusCode: z
    .number()
    .int()
    .refine((c) => (REDIRECT_STATUS_CODES as readonly number[]).includes(c), "must be one of 301, 302, 303, 307, 308")
    .optional(),
});

export const HTTPURLRewriteFilter = z.strictObject({
  hostname: hostname.optional(),
  path: HTTPPathModifier.optional(),
});

export const HTTPRequestMirrorFilter = z
  .strictObject({
    backendRef: BackendObjectReference,
    percent: z.number().int().min(0).max(100).optional(),
    fraction: z
      .strictObject({ numerator: z.number().int().min(0), denominator: z.number().int().min(1).optional() })
      .refine((f) => f.numerator <= (f.denominator ?? 100), {
        message: "numerator must not exceed denominator",
        path: ["numerator"],
      })
      .optional(),
  })
  .refine((m) => m.percent === undefined || m.fraction === undefined, {
    message: "only one of percent or fraction may be set",
    path: ["fraction"],
  });

export const HTTPCORSFilter = z.strictObject({
  allowOrigins: z.array(z.string().min(1)).max(64).optional(),
  allowCredentials: z.boolean().optional(),
  allowMethods: z.array(z.string().regex(/^([A-Z]+|\*)$/, "must be an HTTP method or *")).optional(),
  allowHeaders: z.array(z.string().min(1)).optional(),
  exposeHeaders: z.array(z.string().min(1)).optional(),
  maxAge: z.number().int().min(0).optional(),
});

const FILTER_FIELDS = {
  RequestHeaderModifier: "requestHeaderModifier",
  ResponseHeaderModifier: "responseHeaderModifier",
  RequestRedirect: "requestRedirect",
  URLRewrite: "urlRewrite",
  RequestMirror: "requestMirror",
  CORS: "cors",
  ExtensionRef: "extensionRef",
  ExternalAuth: "externalAuth",
} as const;
type FilterType = keyof typeof FILTER_FIELDS;

export const HTTPRouteFilter = z
  .strictObject({
    type: z.enum(Object.keys(FILTER_FIELDS) as [FilterType, ...FilterType[]]),
    requestHeaderModifier: HTTPHeaderFilter.optional(),
    responseHeaderModifier: HTTPHeaderFilter.optional(),
    requestRedirect: HTTPRequestRedirectFilter.optional(),
    urlRewrite: HTTPURLRewriteFilter.optional(),
    requestMirror: HTTPRequestMirrorFilter.optional(),
    cors: HTTPCORSFilter.optional(),
    extensionRef: z.strictObject({ group: z.string(), kind: z.string(), name: z.string() }).optional(),
    externalAuth: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type === "ExtensionRef" || f.type === "ExternalAuth") {
      ctx.addIssue({ code: "custom", path: ["type"], message: `filter type ${f.type} is not supported by flaremesh` });
      return;
    }
    const expected = FILTER_FIELDS[f.type];
    for (const field of Object.values(FILTER_FIELDS)) {
      const present = f[field] !== undefined;
      if (field === expected && !present)
        ctx.addIssue({ code: "custom", path: [field], message: `is required when type is ${f.type}` });
      if (field !== expected && present)
        ctx.addIssue({ code: "custom", path: [field], message: `must not be set when type is ${f.type}` });
    }
  });
export type HTTPRouteFilter = z.infer<typeof HTTPRouteFilter>;

/** `backendRefs[]`: another Service, with a weight and optional per-backend header filters. */
export const HTTPBackendRef = z
  .strictObject({
    ...backendRefFields,
    weight: weight.optional(),
    filters: z.array(HTTPRouteFilter).max(16).optional(),
  })
  .superRefine((ref, ctx) => {
    checkServiceRef(ref, ctx);
    (ref.filters ?? []).forEach((f, i) => {
      if (f.type !== "RequestHeaderModifier" && f.type !== "ResponseHeaderModifier") {
        ctx.addIssue({
          code: "custom",
          path: ["filters", i, "type"],
          message: "backendRefs support only RequestHeaderModifier and ResponseHeaderModifier filters",
        });
      }
    });
  });
export type HTTPBackendRef = z.infer<typeof HTTPBackendRef>;

export const HTTPRouteRule = z
  .strictObject({
    name: z.string().optional(),
    matches: z.array(HTTPRouteMatch).max(64).optional(),
    filters: z.array(HTTPRouteFilter).max(16).optional(),
    backendRefs: z.array(HTTPBackendRef).max(16).optional(),
    timeouts: z.strictObject({ request: duration.optional(), backendRequest: duration.optional() }).optional(),
    retry: z
      .strictObject({
        codes: z.array(z.number().int().min(400).max(599)).optional(),
        attempts: z.number().int().min(0, "must be ≥ 0").optional(),
        backoff: duration.optional(),
      })
      .optional(),
    sessionPersistence: z
      .strictObject({
        sessionName: z.string().optional(),
        absoluteTimeout: duration.optional(),
        idleTimeout: duration.optional(),
        type: z.enum(["Cookie", "Header"]).optional(),
        cookieConfig: z.strictObject({ lifetimeType: z.enum(["Permanent", "Session"]).optional() }).optional(),
      })
      .optional(),
  })
  .superRefine((rule, ctx) => checkRuleFilters(rule, ctx));

function checkRuleFilters(
  rule: { matches?: HTTPRouteMatch[]; filters?: HTTPRouteFilter[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, number>();
  (rule.filters ?? []).forEach((f, i) => {
    if (f.type !== "RequestMirror" && seen.has(f.type)) {
      ctx.addIssue({
        code: "custom",
        path: ["filters", i, "type"],
        message: `filter ${f.type} may appear only once per rule`,
      });
    }
    seen.set(f.type, i);
    const modifier = f.requestRedirect?.path ?? f.urlRewrite?.path;
    const prefixOnly = (rule.matches ?? []).every((m) => (m.path?.type ?? "PathPrefix") === "PathPrefix");
    if (modifier?.type === "ReplacePrefixMatch" && !prefixOnly) {
      ctx.addIssue({
        code: "custom",
        path: ["filters", i],
        message: "ReplacePrefixMatch requires every match of the rule to use a PathPrefix path",
      });
    }
  });
  if (seen.has("RequestRedirect") && seen.has("URLRewrite")) {
    ctx.addIssue({
      code: "custom",
      path: ["filters", seen.get("URLRewrite") ?? 0],
      message: "RequestRedirect and URLRewrite cannot be used in the same rule",
    });
  }
}

export const HTTPRouteSpec = z.strictObject({
  parentRefs: z.array(ParentReference).max(32).optional(),
  hostnames: z.array(z.string()).max(16).optional(),
  rules: z.array(HTTPRouteRule).max(64).optional(),
});
export type HTTPRouteRule = z.infer<typeof HTTPRouteRule>;
export type HTTPRouteSpec = z.infer<typeof HTTPRouteSpec>;
