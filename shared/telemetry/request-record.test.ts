import { describe, expect, it } from "vitest";
import { buildAccessLog } from "./access-log";
import { accessLogFromRecord, spanFromRecord, type RequestRecord } from "./request-record";
import { buildHttpSpan } from "./span";

const base: RequestRecord = {
  startMs: 1_700_000_000_123,
  durationMs: 12.5,
  requestId: "req-1",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  parentSpanId: "1111111111111111",
  traceFlags: 1,
  tracestate: ["vendor=abc"],
  sourcePrincipal: "cluster.local/ns/default/sa/productpage",
  sourceService: "productpage",
  sourceNamespace: "default",
  destinationService: "reviews",
  destinationNamespace: "default",
  destinationVersion: "v2",
  destinationPrincipal: "cluster.local/ns/default/sa/reviews",
  routeId: "VirtualService/default/reviews#0",
  method: "GET",
  scheme: "http",
  authority: "reviews.localhost:8787",
  hostname: "reviews.localhost",
  port: 8787,
  path: "/reviews/0?token=[redacted]&x=1",
  protocol: "HTTP/1.1",
  status: 503,
  upstreamId: "default/reviews#1",
  upstreamChosen: true,
  upstreamUrl: "http://user:pw@10.0.0.7:9080/base",
  upstreamWorker: null,
  attempts: 3,
  responseFlags: "URX,UF",
  authzPolicy: null,
  errorCode: "upstream_unavailable",
  userAgent: "curl/8",
};

describe("request records", () => {
  it("derive the same access-log entry the proxy used to build itself", () => {
    expect(accessLogFromRecord(base)).toEqual(
      buildAccessLog({
        startMs: base.startMs,
        durationMs: base.durationMs,
        requestId: "req-1",
        traceId: base.traceId,
        spanId: base.spanId,
        source: { principal: base.sourcePrincipal!, service: "productpage", namespace: "default" },
        destination: { service: "reviews", namespace: "default", version: "v2", principal: base.destinationPrincipal! },
        routeId: base.routeId!,
        method: "GET",
        authority: base.authority,
        path: base.path,
        protocol: "HTTP/1.1",
        status: 503,
        upstream: { id: "default/reviews#1", url: base.upstreamUrl! },
        attempts: 3,
        flags: ["UF", "URX"],
        errorCode: "upstream_unavailable",
        userAgent: "curl/8",
      }),
    );
    const entry = accessLogFromRecord(base);
    expect(entry.upstream).toEqual({ id: "default/reviews#1", host: "10.0.0.7:9080" });
    expect(entry.response_flags).toBe("UF,URX");
    expect(entry.path).toBe("/reviews/0?token=[redacted]&x=1");
  });

  it("derive the same SERVER span the proxy used to build itself", () => {
    expect(spanFromRecord(base)).toEqual(
      buildHttpSpan({
        ctx: {
          traceId: base.traceId,
          spanId: base.spanId,
          parentSpanId: "1111111111111111",
          flags: 1,
          tracestate: ["vendor=abc"],
        },
        kind: "server",
        startMs: base.startMs,
        durationMs: base.durationMs,
        method: "GET",
        scheme: "http",
        target: base.path,
        serverAddress: "reviews.localhost",
        serverPort: 8787,
        status: 503,
        protocolVersion: "1.1",
        userAgent: "curl/8",
        errorType: "upstream_unavailable",
        service: { name: "reviews", namespace: "default", version: "v2" },
        remote: { service: "productpage.default" },
        mesh: { routeId: base.routeId!, responseFlags: "URX,UF", upstreamId: "default/reviews#1", attempts: 3 },
      }),
    );
    expect(spanFromRecord(base).attributes["url.path"]).toBe("/reviews/0");
  });

  it("leave out what the record does not know", () => {
    const anonymous: RequestRecord = {
      ...base,
      parentSpanId: null,
      tracestate: null,
      sourcePrincipal: null,
      sourceService: null,
      sourceNamespace: null,
      destinationVersion: null,
      routeId: null,
      port: null,
      status: 404,
      upstreamId: null,
      upstreamChosen: false,
      upstreamUrl: null,
      attempts: 0,
      responseFlags: "-",
      errorCode: "no_route",
      userAgent: null,
    };
    const entry = accessLogFromRecord(anonymous);
    expect(entry.source).toEqual({ principal: null, service: null, namespace: null });
    expect(entry.upstream).toBeNull();
    expect(entry.route).toBeNull();
    expect(entry.response_flags).toBe("-");
    const span = spanFromRecord(anonymous);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.remote).toBeUndefined();
    expect(span.traceState).toBeUndefined();
    expect(span.attributes["server.port"]).toBeUndefined();
    // Tried an endpoint but the try failed before one was chosen for the log: the span still names it.
    const failedEarly = accessLogFromRecord({ ...anonymous, upstreamId: "default/reviews#0", upstreamChosen: false });
    expect(failedEarly.upstream).toBeNull();
    expect(spanFromRecord({ ...anonymous, upstreamId: "default/reviews#0" }).attributes["flaremesh.upstream.id"]).toBe(
      "default/reviews#0",
    );
  });
});
