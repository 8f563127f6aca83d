import { describe, expect, it } from "vitest";
import { ServiceSecurityModel } from "../model/security";
import { loadResources } from "../validate/testing/load";
import * as B from "../validate/testing/bookinfo";
import { compileSnapshot } from "./index";
import { effectivePeerMode } from "../security/peer-authentication";

// Istio security tasks for Bookinfo: mesh-wide STRICT mTLS, allow-nothing, per-workload viewers, end-user JWT.
const SECURITY = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: default}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: productpage-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  action: ALLOW
  rules: [{to: [{operation: {methods: [GET]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  action: ALLOW
  rules:
  - from: [{source: {principals: [cluster.local/ns/default/sa/productpage]}}]
    to: [{operation: {methods: [GET]}}]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt-example, namespace: default}
spec:
  targetRef: {kind: Service, name: productpage}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/jwt/samples/jwks.json
`;

describe("compileSnapshot: security per service", () => {
  const snapshot = compileSnapshot(loadResources(B.BOOKINFO_SERVICES, SECURITY), 1, "t");

  it("scopes peer authentication, JWT rules and authorization policies to each service", () => {
    const productpage = snapshot.services["default/productpage"]?.policy.security as ServiceSecurityModel;
    expect(ServiceSecurityModel.parse(productpage)).toEqual(productpage);
    expect(productpage.peerAuthentication.mode).toBe("STRICT");
    expect(productpage.jwtRules.map((r) => r.issuer)).toEqual(["testing@secure.istio.io"]);
    expect(productpage.authorizationPolicies.map((p) => p.name)).toEqual([
      "default/allow-nothing",
      "default/productpage-viewer",
    ]);

    const reviews = snapshot.services["default/reviews"]?.policy.security as ServiceSecurityModel;
    expect(reviews.jwtRules).toEqual([]);
    expect(reviews.authorizationPolicies.map((p) => p.name)).toEqual([
      "default/allow-nothing",
      "default/reviews-viewer",
    ]);
  });

  it("leaves MeshConfig defaultMtlsMode to the snapshot's mesh where no PeerAuthentication decides", () => {
    const mesh =
      "apiVersion: flaremesh.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: default}\nspec: {defaultMtlsMode: STRICT}";
    const withDefault = compileSnapshot(loadResources(B.BOOKINFO_SERVICES, mesh), 1, "t");
    const details = withDefault.services["default/details"]?.policy.security as ServiceSecurityModel;
    expect(details.peerAuthentication).toEqual({});
    expect(withDefault.mesh.defaultMtlsMode).toBe("STRICT");
    expect(effectivePeerMode(details.peerAuthentication, withDefault.mesh.defaultMtlsMode)).toBe("STRICT");
    const without = compileSnapshot(loadResources(B.BOOKINFO_SERVICES), 1, "t");
    expect(without.mesh.defaultMtlsMode).toBeUndefined();
    expect(without.services["default/details"]).toEqual(withDefault.services["default/details"]);
    expect(effectivePeerMode(details.peerAuthentication, without.mesh.defaultMtlsMode)).toBe("PERMISSIVE");
  });
});
