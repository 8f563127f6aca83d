// security.istio.io (v1, v1beta1) AuthorizationPolicy: ALLOW / DENY / AUDIT rules on requests.
import * as z from "zod";
import { checkSingleScope, policyScope } from "./common";

const strings = z.array(z.string()).optional();

export const Source = z.strictObject({
  principals: strings,
  notPrincipals: strings,
  requestPrincipals: strings,
  notRequestPrincipals: strings,
  namespaces: strings,
  notNamespaces: strings,
  serviceAccounts: strings,
  notServiceAccounts: strings,
  ipBlocks: strings,
  notIpBlocks: strings,
  remoteIpBlocks: strings,
  notRemoteIpBlocks: strings,
});

export const Operation = z.strictObject({
  hosts: strings,
  notHosts: strings,
  ports: strings,
  notPorts: strings,
  methods: strings,
  notMethods: strings,
  paths: strings,
  notPaths: strings,
});

// Condition keys Istio accepts in `when[].key`.
const CONDITION_KEY =
  /^(request\.headers\[[^\]]+\]|source\.ip|remote\.ip|source\.namespace|source\.principal|source\.serviceAccount|request\.auth\.principal|request\.auth\.audiences|request\.auth\.presenter|request\.auth\.claims(\[[^\]]+\])+|destination\.ip|destination\.port|connection\.sni|experimental\.envoy\.filters\.[\w.]+(\[[^\]]+\])+)$/;

export const Condition = z.strictObject({
  key: z
    .string()
    .regex(
      CONDITION_KEY,
      "is not a supported condition key (e.g. request.headers[x-foo], source.ip, request.auth.claims[iss])",
    ),
  values: strings,
  notValues: strings,
});

export const Rule = z.strictObject({
  from: z.array(z.strictObject({ source: Source })).optional(),
  to: z.array(z.strictObject({ operation: Operation })).optional(),
  when: z.array(Condition).optional(),
});
export type AuthorizationRule = z.infer<typeof Rule>;

export const AuthorizationPolicySpec = z
  .strictObject({
    ...policyScope,
    action: z.enum(["ALLOW", "DENY", "AUDIT", "CUSTOM"]).optional(),
    provider: z.strictObject({ name: z.string() }).optional(),
    rules: z.array(Rule).max(256).optional(),
  })
  .superRefine((spec, ctx) => {
    checkSingleScope(spec, ctx);
    if (spec.provider !== undefined && spec.action !== "CUSTOM") {
      ctx.addIssue({ code: "custom", path: ["provider"], message: "provider is only allowed with action CUSTOM" });
    }
  });
export type AuthorizationPolicySpec = z.infer<typeof AuthorizationPolicySpec>;
