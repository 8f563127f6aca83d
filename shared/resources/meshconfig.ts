// flaremesh.dev/v1alpha1 MeshConfig: the mesh-wide singleton `default` (trust domain, defaults, endpoint ranges).
import * as z from "zod";
import { duration, nonNegativeInt, percentage } from "./common";
import { parseCidr } from "../security/cidr";
import { retryOnError } from "./virtualservice";
import { TRACE_PROPAGATORS } from "../telemetry/trace-context";

/**
 * Spec fields:
 * - `trustDomain` (default `cluster.local`): the first part of every principal and SPIFFE ID.
 * - `defaultMtlsMode`: STRICT | PERMISSIVE | DISABLE, applied where no PeerAuthentication decides.
 * - `defaultTimeout`: route timeout when neither the route nor a TrafficPolicy sets one.
 * - `defaultHttpRetryPolicy {attempts, retryOn, perTryTimeout}`: Istio's name for the default retry policy.
 * - `allowedEndpointCidrs`: CIDRs (`10.0.0.0/8`, `fd00::/8`, or a single address) that endpoint, sink and
 *   JWKS URLs may point into even though they are loopback/private/link-local (refused by default when
 *   the mesh runs in production).
 * - `tracing {samplingPercent}` (default 100): share of NEW traces the proxies sample (a caller's decision is
 *   always followed); each TelemetrySink's own `samplingPercent` then picks a subset of the sampled traces.
 * - `tracing {propagation}` (default `[tracecontext, b3, b3multi]`): the trace header formats the proxies write
 *   upstream, by OpenTelemetry propagator name; every format is read whatever this says.
 * - `requestId {setInResponse}` (default true): whether the proxies answer with the request's `x-request-id` (Envoy's
 *   `always_set_request_id_in_response`). Upstreams always receive it and access logs always carry it; with false, a
 *   response no route edits goes back to the client as the service sent it, without being copied.
 */
export const MeshConfigSpec = z.strictObject({
  trustDomain: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a lower-case domain name such as cluster.local")
    .optional(),
  defaultMtlsMode: z.enum(["STRICT", "PERMISSIVE", "DISABLE"]).optional(),
  defaultTimeout: duration.optional(),
  defaultHttpRetryPolicy: z
    .strictObject({
      attempts: nonNegativeInt.optional(),
      retryOn: z
        .string()
        .superRefine((v, ctx) => {
          const problem = retryOnError(v);
          if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
      perTryTimeout: duration.optional(),
    })
    .optional(),
  allowedEndpointCidrs: z
    .array(z.string().refine((c) => parseCidr(c) !== null, "must be a CIDR such as 10.0.0.0/8 or fd00::/8"))
    .max(256)
    .optional(),
  tracing: z
    .strictObject({
      samplingPercent: percentage.optional(),
      propagation: z
        .array(z.enum(TRACE_PROPAGATORS))
        .min(1)
        .refine((names) => new Set(names).size === names.length, "lists a format twice")
        .optional(),
    })
    .optional(),
  requestId: z.strictObject({ setInResponse: z.boolean().optional() }).optional(),
});
export type MeshConfigSpec = z.infer<typeof MeshConfigSpec>;
