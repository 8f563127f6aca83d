// security.istio.io (v1, v1beta1) PeerAuthentication: mutual-TLS mode for the workloads it selects.
import * as z from "zod";
import { checkSingleScope, policyScope } from "./common";

export const MTLS_MODES = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"] as const;
const mtls = z.strictObject({ mode: z.enum(MTLS_MODES).optional() });

export const PeerAuthenticationSpec = z
  .strictObject({
    ...policyScope,
    mtls: mtls.optional(),
    portLevelMtls: z.record(z.string().regex(/^\d+$/, "must be a port number"), mtls).optional(),
  })
  .superRefine(checkSingleScope);
export type PeerAuthenticationSpec = z.infer<typeof PeerAuthenticationSpec>;
