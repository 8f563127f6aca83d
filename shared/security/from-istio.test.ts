// Istio documents → the per-service security model.
import { describe, expect, it } from "vitest";
import { ServiceSecurityModel } from "../model/security";
import { securityForService, toAuthorizationPolicyModel, toJwtRuleModels } from "./from-istio";

describe("toAuthorizationPolicyModel", () => {
  it("flattens source/operation, defaults the action, keeps 'no rules'", () => {
    expect(toAuthorizationPolicyModel({ namespace: "default", name: "allow-nothing", spec: {} })).toEqual({
      name: "default/allow-nothing",
      namespace: "default",
      action: "ALLOW",
      rules: [],
    });
    expect(
      toAuthorizationPolicyModel({
        namespace: "foo",
        name: "httpbin",
        spec: {
          action: "DENY",
          rules: [
            {
              from: [
                { source: { principals: ["cluster.local/ns/default/sa/sleep"] } },
                { source: { namespaces: ["test"] } },
              ],
              to: [{ operation: { methods: ["GET"], paths: ["/info*"] } }],
              when: [{ key: "request.auth.claims[iss]", values: ["https://accounts.google.com"] }],
            },
          ],
        },
      }),
    ).toEqual({
      name: "foo/httpbin",
      namespace: "foo",
      action: "DENY",
      rules: [
        {
          from: [{ principals: ["cluster.local/ns/default/sa/sleep"] }, { namespaces: ["test"] }],
          to: [{ methods: ["GET"], paths: ["/info*"] }],
          when: [{ key: "request.auth.claims[iss]", values: ["https://accounts.google.com"] }],
        },
      ],
    });
  });
});

describe("toJwtRuleModels", () => {
  it("normalizes header names and converts the timeout", () => {
    expect(
      toJwtRuleModels({
        namespace: "default",
        name: "jwt",
        spec: {
          jwtRules: [
            {
              issuer: "i",
              fromHeaders: [{ name: "X-Token" }],
              outputClaimToHeaders: [{ header: "X-Sub", claim: "sub" }],
              outputPayloadToHeader: "X-Payload",
              timeout: "1.5s",
            },
          ],
        },
      }),
    ).toEqual([
      {
        policy: "default/jwt",
        issuer: "i",
        audiences: [],
        fromHeaders: [{ name: "x-token", prefix: "" }],
        fromParams: [],
        fromCookies: [],
        forwardOriginalToken: false,
        outputClaimToHeaders: [{ header: "x-sub", claim: "sub" }],
        outputPayloadToHeader: "x-payload",
        jwksTimeoutMs: 1500,
      },
    ]);
  });
});

describe("securityForService", () => {
  const ratings = { namespace: "default", name: "ratings", labels: { version: "v1" } };
  const model = securityForService(ratings, {
    peerAuthentications: [
      { namespace: "istio-system", name: "default", spec: { mtls: { mode: "STRICT" } } },
      {
        namespace: "default",
        name: "ratings",
        spec: { selector: { matchLabels: { app: "ratings" } }, mtls: { mode: "PERMISSIVE" } },
      },
    ],
    requestAuthentications: [
      { namespace: "istio-system", name: "mesh-jwt", spec: { jwtRules: [{ issuer: "mesh" }] } },
      {
        namespace: "default",
        name: "reviews-jwt",
        spec: { selector: { matchLabels: { app: "reviews" } }, jwtRules: [{ issuer: "r" }] },
      },
    ],
    authorizationPolicies: [
      { namespace: "default", name: "allow-nothing", spec: {} },
      {
        namespace: "default",
        name: "ratings-viewer",
        spec: { targetRefs: [{ kind: "Service", name: "ratings" }], rules: [{}] },
      },
      { namespace: "prod", name: "elsewhere", spec: {} },
      {
        namespace: "istio-system",
        name: "global-deny",
        spec: { action: "DENY", selector: { matchLabels: { app: "ratings" } }, rules: [] },
      },
    ],
  });
  it("resolves the peer mode and collects the applicable policies", () => {
    expect(model.peerAuthentication).toEqual({ mode: "PERMISSIVE", policy: "default/ratings" });
    expect(model.jwtRules.map((r) => r.policy)).toEqual(["istio-system/mesh-jwt"]);
    expect(model.authorizationPolicies.map((p) => p.name)).toEqual([
      "default/allow-nothing",
      "default/ratings-viewer",
      "istio-system/global-deny",
    ]);
  });
  it("produces a model the schema accepts unchanged", () => {
    expect(ServiceSecurityModel.parse(model)).toEqual(model);
  });
  it("leaves the peer mode to the mesh's default when no PeerAuthentication decides", () => {
    expect(securityForService(ratings, {}).peerAuthentication).toEqual({});
  });
});
