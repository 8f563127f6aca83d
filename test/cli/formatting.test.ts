// Pure pieces of the CLI: access-log batches, filters and lines (`logs`), the topology tree, `describe` text.
import { describe, expect, it } from "vitest";
import { decodeBatch, formatEntry, isAccessLog, serviceFilter, statusFilter } from "../../cli/log-format.mjs";
import { topologyTable, topologyTree } from "../../cli/topology.mjs";

const entry = (over: Record<string, unknown> = {}) => ({
  time: "2026-01-01T00:00:00.000Z",
  method: "GET",
  authority: "reviews.localhost",
  path: "/reviews/0",
  status: 200,
  duration_ms: 12.4,
  source: { principal: null, service: "productpage", namespace: "default" },
  destination: { service: "reviews", namespace: "default", version: "v2", principal: null },
  response_flags: "-",
  error_code: null,
  ...over,
});

describe("decodeBatch", () => {
  it.each([
    ["json {entries}", JSON.stringify({ entries: [entry(), { traceId: "x" }] }), "application/json", 2],
    ["ndjson", `${JSON.stringify(entry())}\n${JSON.stringify(entry())}\nnot json\n`, "application/x-ndjson", 2],
    ["array", JSON.stringify([entry()]), "application/json", 1],
    ["single object", JSON.stringify(entry()), "", 1],
    ["empty", "", "application/json", 0],
    ["garbage", "{nope", "application/json", 0],
  ])("%s", (_name, body, type, count) => {
    expect(decodeBatch(body, type)).toHaveLength(count);
  });

  it("tells access logs from spans", () => {
    expect(isAccessLog(entry())).toBe(true);
    expect(isAccessLog({ traceId: "a", spanId: "b", name: "GET" })).toBe(false);
  });
});

describe("filters", () => {
  it.each([
    ["5xx", [500, 503], [200, 404]],
    ["404", [404], [400, 500]],
    ["4xx,5xx", [404, 503], [200, 302]],
    ["!2xx", [404, 500, 302], [200, 204]],
    ["5xx,!503", [500, 502], [503, 200]],
  ])("--status %s", (spec, yes, no) => {
    const test = statusFilter(spec);
    for (const s of yes) expect(test(s)).toBe(true);
    for (const s of no) expect(test(s)).toBe(false);
  });

  it("--status refuses what is not a status", () => {
    expect(() => statusFilter("5xy")).toThrow(/not a status/);
  });

  it("--service by name or namespace/name", () => {
    expect(serviceFilter(["reviews"])(entry())).toBe(true);
    expect(serviceFilter(["default/reviews"])(entry())).toBe(true);
    expect(serviceFilter(["prod/reviews"])(entry())).toBe(false);
    expect(serviceFilter(["ratings", "reviews"])(entry())).toBe(true);
    expect(serviceFilter([])(entry())).toBe(true);
  });
});

describe("formatEntry", () => {
  it("one line: time, request, status, duration, caller → destination(version), flags, error code", () => {
    expect(formatEntry(entry())).toBe(
      "2026-01-01T00:00:00.000Z  GET reviews.localhost/reviews/0  200  12ms  default/productpage → default/reviews(v2)",
    );
    expect(
      formatEntry(entry({ status: 503, response_flags: "UH", error_code: "no_healthy_upstream", source: {} })),
    ).toBe(
      "2026-01-01T00:00:00.000Z  GET reviews.localhost/reviews/0  503  12ms  - → default/reviews(v2) UH no_healthy_upstream",
    );
  });
});

describe("topology", () => {
  const edges = [
    { source: "default/productpage", destination: "default/reviews", requests: 10, errors: 1, p50Ms: 3, p99Ms: 9.25 },
    { source: "default/productpage", destination: "default/details", requests: 10, errors: 0, p50Ms: 1, p99Ms: 2 },
    { source: "default/reviews", destination: "default/ratings", requests: 7, errors: 0, p50Ms: null, p99Ms: null },
    { source: "default/ratings", destination: "default/reviews", requests: 1, errors: 0, p50Ms: 1, p99Ms: 1 },
  ];
  const nodes = [...new Set(edges.flatMap((e) => [e.source, e.destination])), "default/httpbin"].map((id) => ({
    id,
    kind: "service",
  }));

  it("a tree from the entry points; a cycle ends with (see above); idle nodes listed", () => {
    expect(topologyTree(nodes, edges)).toBe(
      [
        "default/productpage",
        "├─▶ default/details   10 req, 0 err (0.0%), p50 1ms, p99 2ms",
        "└─▶ default/reviews   10 req, 1 err (10.0%), p50 3ms, p99 9.3ms",
        "    └─▶ default/ratings   7 req, 0 err (0.0%), p50 -, p99 -",
        "        └─▶ default/reviews   1 req, 0 err (0.0%), p50 1ms, p99 1ms (see above)",
        "",
        "No traffic: default/httpbin",
        "",
      ].join("\n"),
    );
  });

  it("a table, busiest edges first", () => {
    const lines = topologyTable(edges).split("\n");
    expect(lines[0]).toMatch(/^SOURCE\s+DESTINATION\s+REQUESTS\s+RATE\s+ERRORS\s+P50\s+P99$/);
    expect(lines[3]).toMatch(/^default\/reviews\s+default\/ratings\s+7\s+0 err \(0\.0%\)\s+-\s+-$/);
  });
});
