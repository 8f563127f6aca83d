import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildHttpSpan, type HttpSpanInput } from "./span";
import { encodeZipkin } from "./zipkin";

// Strict schema of a Zipkin v2 span, written from openzipkin/zipkin-api `zipkin2-api.yaml`.
const Endpoint = z.strictObject({
  serviceName: z
    .string()
    .regex(/^[^A-Z]*$/)
    .optional(),
  ipv4: z.ipv4().optional(),
  ipv6: z.ipv6().optional(),
  port: z.number().int().min(1).max(65535).optional(),
});
const ZipkinSpan = z.strictObject({
  traceId: z.string().regex(/^(?:[0-9a-f]{16}|[0-9a-f]{32})$/),
  id: z.string().regex(/^[0-9a-f]{16}$/),
  parentId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  name: z
    .string()
    .regex(/^[^A-Z]*$/)
    .optional(),
  kind: z.enum(["CLIENT", "SERVER", "PRODUCER", "CONSUMER"]).optional(),
  timestamp: z.number().int().positive().optional(),
  duration: z.number().int().min(1).optional(),
  debug: z.boolean().optional(),
  shared: z.boolean().optional(),
  localEndpoint: Endpoint.optional(),
  remoteEndpoint: Endpoint.optional(),
  annotations: z.array(z.strictObject({ timestamp: z.number().int(), value: z.string() })).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
const ListOfSpans = z.array(ZipkinSpan);

const base: HttpSpanInput = {
  ctx: {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "1112131415161718",
    parentSpanId: "00f067aa0ba902b7",
    flags: 1,
  },
  kind: "server",
  startMs: 1_502_787_600_000.5,
  durationMs: 150,
  method: "GET",
  scheme: "http",
  target: "/reviews/0",
  serverAddress: "reviews.localhost",
  httpRoute: "/reviews/*",
  status: 200,
  service: { name: "Reviews", namespace: "default" },
  remote: { service: "productpage.default", address: "10.0.0.7", port: 54321 },
};

describe("encodeZipkin", () => {
  it("writes a valid Zipkin v2 span list with microsecond times and string tags", () => {
    const spans = encodeZipkin([
      buildHttpSpan(base),
      buildHttpSpan({
        ...base,
        kind: "client",
        ctx: { ...base.ctx, spanId: "2122232425262728", parentSpanId: "1112131415161718" },
        durationMs: 0.0001,
        status: 504,
        errorType: "upstream_timeout",
        remote: { address: "[::1]", port: 9001 },
      }),
    ]);
    expect(ListOfSpans.safeParse(spans).error?.issues ?? []).toEqual([]);
    const [server, client] = spans;
    expect(server).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      id: "1112131415161718",
      parentId: "00f067aa0ba902b7",
      name: "get /reviews/*",
      kind: "SERVER",
      timestamp: 1_502_787_600_000_500,
      duration: 150_000,
      localEndpoint: { serviceName: "reviews.default" },
      remoteEndpoint: { serviceName: "productpage.default", ipv4: "10.0.0.7", port: 54321 },
      tags: {
        "http.request.method": "GET",
        "url.scheme": "http",
        "url.path": "/reviews/0",
        "server.address": "reviews.localhost",
        "http.route": "/reviews/*",
        "http.response.status_code": "200",
      },
    });
    expect(client!.parentId).toBe(server!.id);
    expect(client!.duration).toBe(1); // rounded up, never 0
    expect(client!.remoteEndpoint).toEqual({ ipv6: "::1", port: 9001 });
    expect(client!.tags).toMatchObject({
      error: "upstream_timeout",
      "otel.status_code": "ERROR",
      "error.type": "upstream_timeout",
    });
  });

  it("writes a trace id from a 64-bit B3 caller in 16 hex, as Zipkin stores it", () => {
    const [span] = encodeZipkin([
      buildHttpSpan({ ...base, ctx: { ...base.ctx, traceId: "0000000000000000a3ce929d0e0e4736" } }),
    ]);
    expect(span!.traceId).toBe("a3ce929d0e0e4736");
  });

  it("keeps host names out of the IP fields", () => {
    const [span] = encodeZipkin([buildHttpSpan({ ...base, remote: { address: "details.internal", port: 0 } })]);
    expect(span!.remoteEndpoint).toBeUndefined();
  });
});
