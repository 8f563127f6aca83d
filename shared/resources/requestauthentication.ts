// security.istio.io (v1, v1beta1) RequestAuthentication: end-user JWT validation rules.
import * as z from "zod";
import { checkSingleScope, duration, headerName, originUrlError, policyScope } from "./common";

// Headers a JWT rule may not write: hop-by-hop, framing, and the mesh's own identity headers.
const RESERVED_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

const outputHeader = headerName.refine(
  (h) => !RESERVED_HEADERS.has(h.toLowerCase()) && !h.toLowerCase().startsWith("x-mesh-"),
  "must not be a hop-by-hop, framing or x-mesh-* header",
);

function jwksError(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    const keys = (parsed as { keys?: unknown } | null)?.keys;
    return Array.isArray(keys) ? undefined : 'must be a JSON Web Key Set ({"keys": [...]})';
  } catch {
    return "must be a JSON Web Key Set (invalid JSON)";
  }
}

export const JWTRule = z
  .strictObject({
    issuer: z.string().min(1, "must not be empty"),
    audiences: z.array(z.string()).optional(),
    jwksUri: z.string().optional(),
    jwks: z.string().optional(),
    fromHeaders: z.array(z.strictObject({ name: headerName, prefix: z.string().optional() })).optional(),
    fromParams: z.array(z.string().min(1)).optional(),
    fromCookies: z.array(z.string().min(1)).optional(),
    outputPayloadToHeader: outputHeader.optional(),
    forwardOriginalToken: z.boolean().optional(),
    outputClaimToHeaders: z.array(z.strictObject({ header: outputHeader, claim: z.string().min(1) })).optional(),
    timeout: duration.optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.jwksUri !== undefined && rule.jwks !== undefined) {
      ctx.addIssue({ code: "custom", path: ["jwks"], message: "only one of jwksUri or jwks may be set" });
    }
    if (rule.jwksUri !== undefined) {
      const problem = originUrlError(rule.jwksUri, { allowQuery: true });
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["jwksUri"], message: problem });
    }
    if (rule.jwks !== undefined) {
      const problem = jwksError(rule.jwks);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["jwks"], message: problem });
    }
  });
export type JWTRule = z.infer<typeof JWTRule>;

export const RequestAuthenticationSpec = z
  .strictObject({ ...policyScope, jwtRules: z.array(JWTRule).max(64).optional() })
  .superRefine(checkSingleScope);
export type RequestAuthenticationSpec = z.infer<typeof RequestAuthenticationSpec>;
