// Test fixtures: Gateway API GAMMA routes for Bookinfo (Istio samples/bookinfo/gateway-api), and the
// per-version Services their backendRefs name.

/** Per-version Services that Gateway API backendRefs name (GAMMA splits traffic between Services). */
export const REVIEWS_VERSION_SERVICES = [1, 2, 3]
  .map(
    (v) => `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: reviews-v${v}
spec:
  endpoints:
  - worker: reviews-v${v}
    labels: {version: v${v}}
`,
  )
  .join("---\n");

/** samples/bookinfo/gateway-api/route-reviews-90-10.yaml (GAMMA: parentRef is the reviews Service). */
export const HTTPROUTE_REVIEWS_90_10 = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - name: reviews-v1
      port: 9080
      weight: 90
    - name: reviews-v2
      port: 9080
      weight: 10
`;

/** GAMMA request routing: end-user jason → reviews-v2, everyone else → reviews-v1. */
export const HTTPROUTE_REVIEWS_JASON = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
  rules:
  - matches:
    - headers:
      - name: end-user
        value: jason
    backendRefs:
    - name: reviews-v2
  - backendRefs:
    - name: reviews-v1
`;
