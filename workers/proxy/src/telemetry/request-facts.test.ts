import { describe, expect, it } from "vitest";
import { EndpointModel, ServiceModel } from "../../../../shared/model/snapshot";
import { toRequestRecord, type RequestFacts } from "./request-facts";

const destination = ServiceModel.parse({ name: "reviews", namespace: "shop" });
const endpoint = EndpointModel.parse({ id: "reviews-v2", url: "http://10.0.0.2:9080", labels: { version: "v2" } });
const facts: RequestFacts = {
  startMs: 1_700_000_000_000,
  durationMs: 12,
  requestId: "req-1",
  trace: {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    parentSpanId: "b7ad6b7169203331",
    sampled: true,
    flags: 1,
    tracestate: ["vendor=x"],
    debug: false,
    origin: "traceparent",
  },
  principal: "corp.example/ns/shop/sa/productpage",
  caller: { service: "productpage", namespace: "shop", version: "v1" },
  destination,
  endpoint,
  trustDomain: "corp.example",
  routeId: "VirtualService/shop/reviews#0",
  method: "GET",
  url: new URL("https://reviews.localhost:8443/api/items?id=7&access_token=s3cret"),
  websocket: false,
  userAgent: "curl/8.5",
  status: 503,
  upstreamId: "reviews-v2",
  attempts: 3,
  responseFlags: "URX,UF",
  authzPolicy: null,
  errorCode: "upstream_unavailable",
};

describe("toRequestRecord", () => {
  it("derives the flat record the telemetry Worker formats: names, principal, URL parts, redacted path", () => {
    expect(toRequestRecord(facts)).toEqual({
      startMs: 1_700_000_000_000,
      durationMs: 12,
      requestId: "req-1",
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      parentSpanId: "b7ad6b7169203331",
      traceFlags: 1,
      tracestate: ["vendor=x"],
      sourcePrincipal: "corp.example/ns/shop/sa/productpage",
      sourceService: "productpage",
      sourceNamespace: "shop",
      destinationService: "reviews",
      destinationNamespace: "shop",
      destinationVersion: "v2",
      destinationPrincipal: "corp.example/ns/shop/sa/reviews",
      routeId: "VirtualService/shop/reviews#0",
      method: "GET",
      scheme: "https",
      authority: "reviews.localhost:8443",
      hostname: "reviews.localhost",
      port: 8443,
      path: "/api/items?id=7&access_token=[redacted]",
      protocol: "HTTP/1.1",
      status: 503,
      upstreamId: "reviews-v2",
      upstreamChosen: true,
      upstreamUrl: "http://10.0.0.2:9080",
      upstreamWorker: null,
      attempts: 3,
      responseFlags: "URX,UF",
      authzPolicy: null,
      errorCode: "upstream_unavailable",
      userAgent: "curl/8.5",
    });
  });

  it("names no destination for a request to an unknown service, and cuts oversized free text", () => {
    const r = toRequestRecord({
      ...facts,
      destination: null,
      endpoint: null,
      websocket: true,
      userAgent: "u".repeat(5_000),
      url: new URL("http://nowhere.localhost/"),
    });
    expect(r).toMatchObject({
      destinationService: "unknown",
      destinationNamespace: "unknown",
      destinationVersion: null,
      destinationPrincipal: null,
      upstreamChosen: false,
      upstreamUrl: null,
      scheme: "http",
      port: null,
      protocol: "websocket",
    });
    expect(r.userAgent).toHaveLength(1_024);
  });
});
