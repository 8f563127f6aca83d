// flaremesh.dev/v1alpha1 Service: a service and its endpoints (origin URLs or Workers).
import * as z from "zod";
import { duration, originUrlError, positiveInt, stringMap, weight } from "./common";

const workerName = z
  .string()
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/,
    "must be a Worker name (letters, digits, '-', '_', at most 63)",
  );

export const ServiceEndpoint = z
  .strictObject({
    url: z.string().optional(),
    worker: workerName.optional(),
    weight: weight.optional(),
    labels: stringMap.optional(),
    zone: z.string().min(1).optional(),
    /** Outbound mTLS: the proxy's `mtls_certificates` binding whose client certificate is presented to the origin. */
    mtlsCertificate: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, "must be a binding name ([A-Z][A-Z0-9_]*)")
      .max(64)
      .optional(),
  })
  .superRefine((ep, ctx) => {
    if ((ep.url === undefined) === (ep.worker === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ep.url === undefined ? [] : ["worker"],
        message: "exactly one of url or worker must be set",
      });
    }
    if (ep.url !== undefined) {
      const problem = originUrlError(ep.url);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["url"], message: problem });
    }
    if (ep.mtlsCertificate !== undefined && (ep.url === undefined || !/^https:/i.test(ep.url))) {
      ctx.addIssue({
        code: "custom",
        path: ["mtlsCertificate"],
        message: "a client certificate is presented only to an https:// url endpoint",
      });
    }
  });
export type ServiceEndpoint = z.infer<typeof ServiceEndpoint>;

export const HealthCheck = z.strictObject({
  path: z.string().startsWith("/", "must start with /").optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  unhealthyThreshold: positiveInt.optional(),
  healthyThreshold: positiveInt.optional(),
});

export const ServiceSpec = z.strictObject({
  endpoints: z.array(ServiceEndpoint).max(1000).optional(),
  healthCheck: HealthCheck.optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;
