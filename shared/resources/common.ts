// Schema building blocks every kind shares: names, metadata, durations, percentages, regexes, policy scope.
import * as z from "zod";
import { isDuration } from "../duration";
import { hasNestedQuantifier } from "./regex-safety";

const LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS_LABEL = new RegExp(`^${LABEL}$`);
const DNS_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** RFC 1123 label, as Kubernetes checks namespace and Service names. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/** RFC 1123 subdomain, as Kubernetes checks most object names. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value) && value.split(".").every((l) => l.length <= 63);
}

export const LABEL_MESSAGE =
  "must be a DNS-1123 label: at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit";
export const SUBDOMAIN_MESSAGE =
  "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters";

export const dnsLabel = z.string().refine(isDnsLabel, LABEL_MESSAGE);
export const dnsSubdomain = z.string().refine(isDnsSubdomain, SUBDOMAIN_MESSAGE);

export const stringMap = z.record(z.string(), z.string());

// RFC 3339 as Kubernetes writes it (`2024-05-01T10:00:00Z`, fractional seconds and offsets allowed).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Object metadata. Only the fields a user or `kubectl get -o yaml` plausibly writes are accepted;
 * `uid` and `generation` are tolerated and dropped, anything else (managedFields, ownerReferences…) is
 * rejected so that typos do not pass silently.
 */
export function metadataSchema(name: "label" | "subdomain") {
  return z.strictObject({
    name: name === "label" ? dnsLabel : dnsSubdomain,
    namespace: dnsLabel.optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    resourceVersion: z.union([z.string(), z.number().int()]).optional(),
    uid: z.string().optional(),
    generation: z.number().int().optional(),
    // `kubectl create --dry-run -o yaml` writes `creationTimestamp: null`.
    creationTimestamp: z
      .string()
      .regex(RFC3339, "must be an RFC 3339 timestamp such as 2024-05-01T10:00:00Z")
      .nullable()
      .optional(),
  });
}

export const duration = z.string().refine(isDuration, "must be a duration such as 250ms, 1.5s, 2m or 1h30m");

/** 0–100, fractions allowed. */
export const percentage = z.number().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");

export const weight = z.number().int().min(0, "must be ≥ 0").max(1_000_000, "must be ≤ 1000000");

export const nonNegativeInt = z.number().int().min(0, "must be ≥ 0");
export const positiveInt = z.number().int().min(1, "must be ≥ 1");

export const port = z.number().int().min(1).max(65535);

export const httpStatus = z
  .number()
  .int()
  .min(100, "must be an HTTP status (100–599)")
  .max(599, "must be an HTTP status (100–599)");

/** Status of an injected abort: Istio accepts 200–599. */
export const abortStatus = z
  .number()
  .int()
  .min(200, "must be an HTTP status between 200 and 599")
  .max(599, "must be an HTTP status between 200 and 599");

export const httpMethod = z.string().regex(/^[A-Z]+$/, "must be an upper-case HTTP method such as GET");

export const headerName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "must be a valid HTTP header name");

/** Longest regular expression accepted anywhere, to keep matching cost bounded. */
export const MAX_REGEX_LENGTH = 1024;

/**
 * Checks that a pattern compiles as a JavaScript RegExp (what the proxy uses) and cannot backtrack
 * catastrophically; returns the problem or undefined.
 */
export function regexError(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `regular expression longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(pattern);
  } catch (err) {
    const hint = /^\(\?[a-z]+\)/.test(pattern) ? " (RE2 inline flags such as (?i) are not supported)" : "";
    return `invalid regular expression: ${(err as Error).message}${hint}`;
  }
  if (hasNestedQuantifier(pattern)) {
    return "nested unbounded quantifiers such as (a+)+ can backtrack catastrophically; rewrite the expression";
  }
  return undefined;
}

export const regex = z.string().superRefine((value, ctx) => {
  const problem = regexError(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/** Istio `WorkloadSelector` / Kubernetes label selector (only `matchLabels`). */
export const selector = z.strictObject({ matchLabels: stringMap.optional() });

/** `targetRef` of a policy: only Services can be targeted in flaremesh. */
export const targetRef = z
  .strictObject({
    group: z.string().optional(),
    kind: z.string(),
    name: dnsLabel,
    namespace: dnsLabel.optional(),
  })
  .superRefine((ref, ctx) => {
    if (ref.kind !== "Service") {
      ctx.addIssue({ code: "custom", path: ["kind"], message: `only kind Service can be targeted, not ${ref.kind}` });
    }
    if (ref.group !== undefined && ref.group !== "" && ref.group !== "core") {
      ctx.addIssue({ code: "custom", path: ["group"], message: 'a Service target has group "" (core)' });
    }
  });
export type TargetRef = z.infer<typeof targetRef>;

/** The scope fields shared by policies (contract §4 "Scope of a policy"). */
export const policyScope = {
  selector: selector.optional(),
  targetRef: targetRef.optional(),
  targetRefs: z.array(targetRef).optional(),
};

/** Reports a policy that sets more than one way of choosing its scope. */
export function checkSingleScope(
  spec: { selector?: unknown; targetRef?: unknown; targetRefs?: unknown },
  ctx: z.RefinementCtx,
): void {
  const set = (["selector", "targetRef", "targetRefs"] as const).filter((k) => spec[k] !== undefined);
  if (set.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: [set[1] ?? "targetRef"],
      message: `only one of ${set.join(", ")} may be set`,
    });
  }
}

/** Problems with an http(s) URL the mesh will call (scheme, credentials, query); undefined when acceptable. */
export function originUrlError(value: string, options: { allowQuery?: boolean } = {}): string | undefined {
  if (!URL.canParse(value)) return "must be an absolute http(s) URL";
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must use http or https";
  if (url.username !== "" || url.password !== "") return "must not carry credentials (user:password@)";
  if (url.hostname === "") return "must name a host";
  if (url.hash !== "" || (url.search !== "" && options.allowQuery !== true)) return "must not have a query or fragment";
  return undefined;
}
