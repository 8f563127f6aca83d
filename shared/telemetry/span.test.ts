import { describe, expect, it } from "vitest";
import { buildHttpSpan, type HttpSpanInput } from "./span";

const base: HttpSpanInput = {
  ctx: {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "1112131415161718",
    parentSpanId: "00f067aa0ba902b7",
    flags: 1,
  },
  kind: "server",
  startMs: 1_000,
  durationMs: 5,
  method: "GET",
  scheme: "http",
  target: "/reviews/0?api_key=s3cr3t&page=2",
  serverAddress: "reviews.localhost",
  status: 200,
  service: { name: "reviews", namespace: "default" },
};

describe("buildHttpSpan (OpenTelemetry HTTP semantic conventions)", () => {
  it("writes the stable HTTP server attributes and no query string", () => {
    const span = buildHttpSpan({
      ...base,
      serverPort: 8787,
      httpRoute: "/reviews/*",
      protocolVersion: "1.1",
      userAgent: "curl/8",
    });
    expect(span.name).toBe("GET /reviews/*");
    expect(span.attributes).toEqual({
      "http.request.method": "GET",
      "url.scheme": "http",
      "url.path": "/reviews/0",
      "server.address": "reviews.localhost",
      "server.port": 8787,
      "http.route": "/reviews/*",
      "http.response.status_code": 200,
      "network.protocol.version": "1.1",
      "user_agent.original": "curl/8",
    });
    expect(span.status).toEqual({ code: "unset" });
    expect(span.parentIsRemote).toBe(true);
  });

  it.each<[string, Partial<HttpSpanInput>, string, Record<string, unknown>]>([
    ["no route: the method alone", {}, "GET", {}],
    [
      "an unknown method: _OTHER, named HTTP",
      { method: "PURGE" },
      "HTTP",
      { "http.request.method": "_OTHER", "http.request.method_original": "PURGE" },
    ],
    [
      "an unknown method with a route",
      { method: "get", httpRoute: "/x" },
      "HTTP /x",
      { "http.request.method": "_OTHER", "http.request.method_original": "get" },
    ],
  ])("span name for %s", (_name, patch, name, attributes) => {
    const span = buildHttpSpan({ ...base, ...patch });
    expect(span.name).toBe(name);
    expect(span.attributes).toMatchObject(attributes);
  });

  it.each<[string, "server" | "client", number, string | undefined, object, string | undefined]>([
    ["server 404 is not an error", "server", 404, undefined, { code: "unset" }, undefined],
    ["server 503 is", "server", 503, undefined, { code: "error" }, "503"],
    [
      "server with a mesh error code",
      "server",
      504,
      "upstream_timeout",
      { code: "error", message: "upstream_timeout" },
      "upstream_timeout",
    ],
    ["client 404 is an error", "client", 404, undefined, { code: "error" }, "404"],
    ["no response at all", "server", 0, undefined, { code: "error" }, "_OTHER"],
  ])("%s", (_name, kind, status, errorType, expectedStatus, expectedErrorType) => {
    const span = buildHttpSpan({ ...base, kind, status, ...(errorType ? { errorType } : {}) });
    expect(span.status).toEqual(expectedStatus);
    expect(span.attributes["error.type"]).toBe(expectedErrorType);
    if (status === 0) expect(span.attributes["http.response.status_code"]).toBeUndefined();
  });

  it("describes an upstream attempt as a client span with a redacted url.full", () => {
    const span = buildHttpSpan({
      ...base,
      kind: "client",
      scheme: "https",
      serverAddress: "reviews.internal",
      serverPort: 8443,
      resendCount: 2,
      mesh: { upstreamId: "ep-2", attempts: 3 },
    });
    expect(span.attributes).toMatchObject({
      "url.full": "https://reviews.internal:8443/reviews/0?api_key=[redacted]&page=2",
      "http.request.resend_count": 2,
      "flaremesh.upstream.id": "ep-2",
      "flaremesh.attempts": 3,
    });
    expect(span.parentIsRemote).toBe(false);
    expect(JSON.stringify(span)).not.toContain("s3cr3t");
  });

  it("leaves out the parent of a root span and carries tracestate", () => {
    const span = buildHttpSpan({
      ...base,
      ctx: { traceId: base.ctx.traceId, spanId: "1112131415161718", flags: 3, tracestate: ["a=1", "b=2"] },
    });
    expect(span.parentSpanId).toBeUndefined();
    expect(span.parentIsRemote).toBeUndefined();
    expect(span.traceState).toBe("a=1,b=2");
  });
});
