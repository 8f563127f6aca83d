// Test fixtures: Istio's Bookinfo samples (as published in istio/istio samples/bookinfo) and Gateway API
// GAMMA routes, with the flaremesh Services they need.

/** The Bookinfo Services, one Worker per version (as the demo deploys them). */
export const BOOKINFO_SERVICES = `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: productpage
spec:
  endpoints:
  - worker: productpage-v1
    labels: {version: v1}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: details
spec:
  endpoints:
  - worker: details-v1
    labels: {version: v1}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: reviews
  labels:
    app: reviews
spec:
  endpoints:
  - worker: reviews-v1
    labels: {version: v1}
  - worker: reviews-v2
    labels: {version: v2}
  - worker: reviews-v3
    labels: {version: v3}
---
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: ratings
spec:
  endpoints:
  - worker: ratings-v1
    labels: {version: v1}
`;

/** samples/bookinfo/networking/destination-rule-all.yaml */
export const DESTINATION_RULE_ALL = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: productpage
spec:
  host: productpage
  subsets:
  - name: v1
    labels:
      version: v1
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
spec:
  host: ratings
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v2-mysql
    labels:
      version: v2-mysql
  - name: v2-mysql-vm
    labels:
      version: v2-mysql-vm
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: details
spec:
  host: details
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
---
`;

/** samples/bookinfo/networking/virtual-service-all-v1.yaml */
export const VIRTUAL_SERVICE_ALL_V1 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage
spec:
  hosts:
  - productpage
  http:
  - route:
    - destination:
        host: productpage
        subset: v1
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - route:
    - destination:
        host: ratings
        subset: v1
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: details
spec:
  hosts:
  - details
  http:
  - route:
    - destination:
        host: details
        subset: v1
---
`;

/** samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml */
export const VIRTUAL_SERVICE_REVIEWS_TEST_V2 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
    - reviews
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: reviews
        subset: v2
  - route:
    - destination:
        host: reviews
        subset: v1
`;

/** samples/bookinfo/networking/virtual-service-reviews-50-v3.yaml */
export const VIRTUAL_SERVICE_REVIEWS_50_V3 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
    - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: 50
    - destination:
        host: reviews
        subset: v3
      weight: 50
`;

/** samples/bookinfo/networking/virtual-service-ratings-test-delay.yaml */
export const VIRTUAL_SERVICE_RATINGS_TEST_DELAY = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    fault:
      delay:
        percentage:
          value: 100.0
        fixedDelay: 7s
    route:
    - destination:
        host: ratings
        subset: v1
  - route:
    - destination:
        host: ratings
        subset: v1
`;

/** samples/bookinfo/networking/virtual-service-ratings-test-abort.yaml */
export const VIRTUAL_SERVICE_RATINGS_TEST_ABORT = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    fault:
      abort:
        percentage:
          value: 100.0
        httpStatus: 500
    route:
    - destination:
        host: ratings
        subset: v1
  - route:
    - destination:
        host: ratings
        subset: v1
`;
