import { describe, expect, it } from "vitest";
import { TelemetrySinkModel } from "../../../../shared/model/telemetry";
import { parseShipment } from "../../../../shared/model/telemetry-shipment";
import { buildAccessLog, buildHttpSpan } from "../../../../shared/telemetry/index";
import { toShipment } from "./ship";

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
