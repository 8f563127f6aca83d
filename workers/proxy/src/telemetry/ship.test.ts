import { describe, expect, it } from "vitest";
import { TelemetrySinkModel } from "../../../../shared/model/telemetry";
import { parseShipment } from "../../../../shared/model/telemetry-shipment";
import { buildAccessLog, buildHttpSpan } from "../../../../shared/telemetry/index";
import { toMessages, toShipment } from "./ship";

const sink = (name: string, type: "loki" | "zipkin") =>
  TelemetrySinkModel.parse({ id: `TelemetrySink/default/${name}`, type, endpoint: "https://sink.example.com" });
const loki = sink("loki", "loki");
const zipkin = sink("zipkin", "zipkin");
const ctx = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", flags: 1 };
const entry = buildAccessLog({
  startMs: 1_700_000_000_000,
  durationMs: 3,
  requestId: "r1",
  traceId: ctx.traceId,
  spanId: ctx.spanId,
  source: {},
  destination: { service: "reviews", namespace: "default" },
  method: "GET",
  authority: "reviews.localhost",
  path: "/",
  protocol: "HTTP/1.1",
  status: 200,
  attempts: 1,
  flags: [],
});
const span = buildHttpSpan({
  ctx,
  kind: "server",
  startMs: 1_700_000_000_000,
  durationMs: 3,
  method: "GET",
  scheme: "http",
  target: "/",
  serverAddress: "reviews.localhost",
  status: 200,
  service: { name: "reviews", namespace: "default" },
});

describe("toShipment", () => {
  it("lists each sink once and points items at it, and the shipper accepts the result", () => {
    const shipment = toShipment([
      { kind: "log", entry, sinks: [loki] },
      { kind: "span", entry: span, sinks: [zipkin] },
      { kind: "log", entry, sinks: [loki] },
    ]);
    expect(shipment.sinks.map((s) => s.id)).toEqual(["TelemetrySink/default/loki", "TelemetrySink/default/zipkin"]);
    expect(shipment.items.map((i) => i.to)).toEqual([[0], [1], [0]]);
    expect(parseShipment(JSON.parse(JSON.stringify(shipment)))).toEqual(shipment);
  });

  it("rejects a message whose item points past the sinks, or another format", () => {
    const shipment = toShipment([{ kind: "log", entry, sinks: [loki] }]);
    expect(parseShipment({ ...shipment, items: [{ ...shipment.items[0]!, to: [3] }] })).toBeNull();
    expect(parseShipment({ ...shipment, format: 2 })).toBeNull();
  });
});

describe("toMessages", () => {
  it("sends a chunk as one JSON text message the shipper parses back", () => {
    const chunk = [
      { kind: "log" as const, entry, sinks: [loki] },
      { kind: "span" as const, entry: span, sinks: [zipkin] },
    ];
    const messages = toMessages(chunk);
    expect(messages).toHaveLength(1);
    expect(typeof messages[0]!.body).toBe("string");
    expect(parseShipment(messages[0]!.body)).toEqual(toShipment(chunk));
  });

  it("splits a chunk over the size limit, keeping every entry in order, and drops a lone oversized entry", () => {
    const chunk = Array.from({ length: 10 }, (_, i) => ({
      kind: "log" as const,
      entry: { ...entry, request_id: `r${i}` },
      sinks: [loki],
    }));
    const one = JSON.stringify(toShipment(chunk.slice(0, 1))).length;
    const messages = toMessages(chunk, one * 3);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(new TextEncoder().encode(m.body).length).toBeLessThanOrEqual(one * 3);
    const ids = messages.flatMap((m) =>
      parseShipment(m.body)!.items.map((i) => (i.entry as { request_id: string }).request_id),
    );
    expect(ids).toEqual(chunk.map((c) => c.entry.request_id));
    expect(toMessages(chunk.slice(0, 1), 10)).toEqual([]);
  });

  it("refuses text that is not JSON", () => {
    expect(parseShipment("{not json")).toBeNull();
  });
});
