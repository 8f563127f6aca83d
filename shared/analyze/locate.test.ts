import { describe, expect, it } from "vitest";
import { documentLocator, parseFieldPath } from "./locate";

const YAML_TEXT = `# a comment
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: -5
---
---
apiVersion: v1
kind: List
items:
- kind: Service
  metadata:
    labels:
      app.kubernetes.io/name: x
- kind: Service
`;

describe("parseFieldPath", () => {
  it.each([
    ["spec.http[0].route[1].weight", ["spec", "http", 0, "route", 1, "weight"]],
    ['metadata.labels["app.kubernetes.io/name"]', ["metadata", "labels", "app.kubernetes.io/name"]],
    ["[2].kind", [2, "kind"]],
    ["apiVersion", ["apiVersion"]],
  ])("%s", (path, segments) => {
    expect(parseFieldPath(path)).toEqual(segments);
  });
});

describe("documentLocator", () => {
  const locator = documentLocator(YAML_TEXT);

  it("numbers documents as parseDocuments does (empty skipped, List expanded)", () => {
    expect(locator.count).toBe(3);
  });

  it.each([
    [0, "spec.http[0].route[0].weight", 11, 7],
    [0, "spec.http[0].route[0].destination.subset", 10, 36],
    [0, "spec.http[0]", 9, 5],
    [0, "kind", 3, 1],
    [0, undefined, 2, 1],
    // absent fields resolve to the deepest present parent
    [0, "spec.http[0].timeout", 9, 5],
    [0, "spec.tcp[3].x", 6, 1],
    [1, 'metadata.labels["app.kubernetes.io/name"]', 20, 7],
    [2, "metadata.name", 21, 3],
  ])("document %s, %s → line %s, column %s", (index, path, line, column) => {
    expect(locator.locate(index, path)).toEqual({ line, column });
  });

  it("locates inside JSON arrays", () => {
    const json = '[\n  {"kind": "Service",\n   "spec": {"endpoints": [{"url": 1}]}},\n  {"kind": "X"}\n]';
    const l = documentLocator(json);
    expect(l.count).toBe(2);
    expect(l.locate(0, "spec.endpoints[0].url")).toEqual({ line: 3, column: 28 });
    expect(l.locate(1, "kind")).toEqual({ line: 4, column: 4 });
  });

  it("is undefined for a document that does not exist", () => {
    expect(locator.locate(7, "kind")).toBeUndefined();
  });
});
