import { describe, expect, it } from "vitest";
import type { Resource } from "../resources/resource";
import { checkReferences, isConflict } from "./index";
import { createdAt, loadResources } from "./testing/load";
import * as B from "./testing/bookinfo";
import * as G from "./testing/gamma";

const base = loadResources(B.BOOKINFO_SERVICES, G.REVIEWS_VERSION_SERVICES);
const dev = { environment: "development" } as const;

function check(
  yaml: string,
  options: { environment: "development" | "production" } = dev,
  extra: Resource[] = [],
): ReturnType<typeof checkReferences> {
  return checkReferences([...base, ...extra, ...loadResources(yaml)], options);
}

const httpRoute = (name: string, parent: string, backends: string, extra = "") => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}}
spec:
  parentRefs: [{kind: Service, name: ${parent}}]
  rules:
  - backendRefs: [${backends}]
${extra}`;

const virtualService = (name: string, host: string, destination: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: [${host}]
  http:
  - route:
    - destination: ${destination}`;

const destinationRule = (name: string, host: string, subsets = "[{name: v1, labels: {version: v1}}]") => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}}
spec: {host: ${host}, subsets: ${subsets}}`;

describe("checkReferences: references to Services and subsets", () => {
  it.each([
    [
      "HTTPRoute parent that does not exist",
      httpRoute("r", "nope", "{name: reviews-v1}"),
      "HTTPRoute/r",
      "spec.parentRefs[0].name",
      /parent Service default\/nope does not exist/,
    ],
    [
      "HTTPRoute backend that does not exist",
      httpRoute("r", "reviews", "{name: reviews-v9}"),
      "HTTPRoute/r",
      "spec.rules[0].backendRefs[0].name",
      /default\/reviews-v9/,
    ],
    [
      "HTTPRoute backend in another namespace",
      httpRoute("r", "reviews", "{name: reviews-v1, namespace: prod}"),
      "HTTPRoute/r",
      "spec.rules[0].backendRefs[0].name",
      /prod\/reviews-v1/,
    ],
    [
      "HTTPRoute mirror that does not exist",
      httpRoute(
        "r",
        "reviews",
        "{name: reviews-v1}",
        "    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow}}}]",
      ),
      "HTTPRoute/r",
      "spec.rules[0].filters[0].requestMirror.backendRef.name",
      /mirror Service default\/shadow/,
    ],
    [
      "VirtualService host that does not exist",
      virtualService("v", "nope", "{host: reviews}"),
      "VirtualService/v",
      "spec.hosts[0]",
      /host nope/,
    ],
    [
      "VirtualService host in another namespace",
      virtualService("v", "reviews.prod.svc.cluster.local", "{host: reviews}"),
      "VirtualService/v",
      "spec.hosts[0]",
      /does not name an existing Service/,
    ],
    [
      "destination host that does not exist",
      virtualService("v", "reviews", "{host: nope}"),
      "VirtualService/v",
      "spec.http[0].route[0].destination.host",
      /host nope/,
    ],
    [
      "subset without any DestinationRule",
      virtualService("v", "reviews", "{host: reviews, subset: v1}"),
      "VirtualService/v",
      "spec.http[0].route[0].destination.subset",
      /subset v1 is not defined/,
    ],
    [
      "subset the DestinationRule lacks",
      `${virtualService("v", "reviews", "{host: reviews, subset: v9}")}\n---\n${destinationRule("d", "reviews")}`,
      "VirtualService/v",
      "spec.http[0].route[0].destination.subset",
      /subset v9/,
    ],
    [
      "DestinationRule host that does not exist",
      destinationRule("d", "nope"),
      "DestinationRule/d",
      "spec.host",
      /host nope/,
    ],
  ])("%s", (_name, yaml, document, path, message) => {
    const problems = check(yaml);
    const found = problems.find((p) => p.path === path);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect(found?.document).toBe(document);
    expect(found?.message).toMatch(message);
    expect(isConflict(found ?? { message: "" })).toBe(false);
  });

  it.each([
    ["Bookinfo with all-v1 and destination rules", `${B.DESTINATION_RULE_ALL}\n---\n${B.VIRTUAL_SERVICE_ALL_V1}`],
    [
      "hosts as short name, name.namespace and FQDN",
      `${virtualService("v", "reviews.default.svc.cluster.local", "{host: reviews.default, subset: v2}")}\n---\n${destinationRule("d", "reviews.default.svc.cluster.local", "[{name: v2}]")}`,
    ],
    [
      "two HTTPRoutes on one Service (merged by precedence)",
      `${httpRoute("a", "reviews", "{name: reviews-v1}")}\n---\n${httpRoute("b", "reviews", "{name: reviews-v2}")}`,
    ],
    ["GAMMA samples", G.HTTPROUTE_REVIEWS_90_10],
    [
      "HTTPRoute on one Service and VirtualService on another",
      `${httpRoute("a", "reviews", "{name: reviews-v1}")}\n---\n${virtualService("v", "ratings", "{host: ratings}")}`,
    ],
  ])("consistent: %s", (_name, yaml) => {
    expect(check(yaml)).toEqual([]);
  });
});

describe("checkReferences: conflicts", () => {
  it("refuses an HTTPRoute and a VirtualService on the same Service", () => {
    const problems = check(
      `${G.HTTPROUTE_REVIEWS_90_10}\n---\n${virtualService("reviews", "reviews", "{host: reviews}")}`,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ document: "VirtualService/reviews", path: "spec.hosts[0]" });
    expect(problems[0]?.message).toMatch(
      /^conflict: Service default\/reviews is claimed by both HTTPRoute default\/reviews and VirtualService default\/reviews/,
    );
    expect(isConflict(problems[0]!)).toBe(true);
  });

  it("refuses two VirtualServices for one host, naming the newer one", () => {
    const [older, newer] = loadResources(
      virtualService("b-older", "reviews", "{host: reviews}"),
      virtualService("a-newer", "reviews.default.svc.cluster.local", "{host: reviews}"),
    );
    const problems = checkReferences(
      [...base, createdAt(newer!, "2024-02-01T00:00:00Z"), createdAt(older!, "2024-01-01T00:00:00Z")],
      dev,
    );
    expect(problems).toEqual([
      {
        document: "VirtualService/a-newer",
        path: "spec.hosts[0]",
        message:
          "conflict: Service default/reviews is already routed by VirtualService default/b-older; merge the two VirtualServices",
      },
    ]);
  });

  it("refuses two DestinationRules for one host", () => {
    const problems = check(`${destinationRule("a", "reviews")}\n---\n${destinationRule("b", "reviews.default")}`);
    expect(problems).toEqual([
      {
        document: "DestinationRule/b",
        path: "spec.host",
        message:
          "conflict: Service default/reviews already has DestinationRule default/a; merge the two DestinationRules",
      },
    ]);
  });
});

describe("checkReferences: policies and singletons", () => {
  const policy = (spec: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p}
spec: ${spec}`;
  it.each([
    [
      "targetRef to a missing Service",
      policy("{targetRef: {kind: Service, name: nope}}"),
      "spec.targetRef.name",
      /target Service default\/nope does not exist/,
    ],
    [
      "second targetRefs entry missing",
      policy("{targetRefs: [{kind: Service, name: reviews}, {kind: Service, name: nope}]}"),
      "spec.targetRefs[1].name",
      /default\/nope/,
    ],
    [
      "targetRef into another namespace",
      policy("{targetRef: {kind: Service, name: reviews, namespace: prod}}"),
      "spec.targetRef.namespace",
      /own namespace/,
    ],
  ])("%s", (_name, yaml, path, message) => {
    const problems = check(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ document: "AuthorizationPolicy/p", path });
    expect(problems[0]?.message).toMatch(message);
  });

  it.each(["TrafficPolicy", "TelemetrySink"])("checks %s targetRef", (kind) => {
    const spec =
      kind === "TelemetrySink"
        ? "{type: zipkin, endpoint: 'https://z.example.com/api/v2/spans', targetRef: {kind: Service, name: nope}}"
        : "{targetRef: {kind: Service, name: nope}}";
    const problems = check(`apiVersion: flaremesh.dev/v1alpha1\nkind: ${kind}\nmetadata: {name: x}\nspec: ${spec}`);
    expect(problems).toEqual([
      { document: `${kind}/x`, path: "spec.targetRef.name", message: "target Service default/nope does not exist" },
    ]);
  });

  it("allows one MeshConfig only", () => {
    const problems = check(
      "apiVersion: flaremesh.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: default}\n---\napiVersion: flaremesh.dev/v1alpha1\nkind: MeshConfig\nmetadata: {name: default, namespace: istio-system}",
    );
    expect(problems).toEqual([
      {
        document: "MeshConfig/default",
        path: "metadata.namespace",
        message: "only one MeshConfig may exist; default/default is already defined",
      },
    ]);
  });
});
