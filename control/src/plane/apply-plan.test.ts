// Table-driven tests of apply planning and content comparison (pure; no runtime).
import { describe, expect, it } from "vitest";
import type { Resource } from "../../../shared/resources/resource";
import { planApply } from "./apply-plan";
import { canonicalJson, sameContent, withServerFields } from "./content";

function service(name: string, url = "http://a", extra: Partial<Resource["metadata"]> = {}): Resource {
  return {
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "Service",
    metadata: { name, namespace: "default", ...extra },
    spec: { endpoints: [{ url }] },
  };
}

const stored = (r: Resource, version = "1") => withServerFields(r, version, "2026-01-01T00:00:00.000Z");

describe("planApply", () => {
  const current = new Map([["Service/default/a", stored(service("a"))]]);

  it.each([
    ["a new resource is created", [service("b")], ["created"], true],
    ["equal content is unchanged", [service("a")], ["unchanged"], false],
    ["a changed spec is configured", [service("a", "http://other")], ["configured"], true],
    ["a new label is configured", [service("a", "http://a", { labels: { x: "y" } })], ["configured"], true],
    ["an empty label map equals none", [service("a", "http://a", { labels: {} })], ["unchanged"], false],
    ["mixed", [service("a"), service("c")], ["unchanged", "created"], true],
  ])("%s", (_name, incoming, actions, changed) => {
    const result = planApply(current, incoming, []);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.results.map((r) => r.action)).toEqual(actions);
    expect(result.value.changed).toBe(changed);
    expect(current.size).toBe(1); // the input map is not modified
  });

  it("keeps the stored object for unchanged resources and adds new ones", () => {
    const result = planApply(current, [service("a"), service("b")], []);
    if (!result.ok) throw new Error("expected ok");
    expect(result.value.next.get("Service/default/a")).toBe(current.get("Service/default/a"));
    expect(result.value.next.has("Service/default/b")).toBe(true);
    expect(result.value.summary).toBe("apply: created Service/default/b");
  });

  it.each([
    ["a stale version", [service("a")], ["7"], "metadata.resourceVersion"],
    ["a version for a missing resource", [service("zz")], ["1"], "metadata.resourceVersion"],
  ])("refuses %s with 409 conflict", (_name, incoming, versions, path) => {
    const result = planApply(current, incoming, versions);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: "conflict", status: 409 });
    expect(result.error.details[0]?.path).toBe(path);
  });

  it("accepts the current version", () => {
    expect(planApply(current, [service("a", "http://new")], ["1"]).ok).toBe(true);
  });

  it("refuses a resource named twice", () => {
    const result = planApply(current, [service("b"), service("b", "http://x")], []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_resource");
    expect(result.error.details[0]).toMatchObject({ document: "Service/b", path: "metadata.name" });
  });

  it("summarises at most five changes", () => {
    const many = Array.from({ length: 8 }, (_, i) => service(`s${i}`));
    const result = planApply(new Map(), many, []);
    if (!result.ok) throw new Error("expected ok");
    expect(result.value.summary).toMatch(/^apply: created Service\/default\/s0, .* \(\+3 more\)$/);
  });
});

describe("content", () => {
  it("ignores key order and server fields", () => {
    const a = service("a");
    const b: Resource = {
      spec: { endpoints: [{ url: "http://a" }] },
      metadata: { namespace: "default", name: "a" },
      kind: "Service",
      apiVersion: "flaremesh.dev/v1alpha1",
    };
    expect(sameContent(stored(a, "4"), b)).toBe(true);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: undefined }] })).toBe('{"a":[{"d":1}],"b":1}');
  });

  it("withServerFields drops foreign metadata and sets the server's", () => {
    const r = withServerFields(service("a", "http://a", { resourceVersion: "x" }), "9", "2026-02-02T00:00:00.000Z");
    expect(r.metadata).toEqual({
      name: "a",
      namespace: "default",
      resourceVersion: "9",
      creationTimestamp: "2026-02-02T00:00:00.000Z",
    });
  });
});
