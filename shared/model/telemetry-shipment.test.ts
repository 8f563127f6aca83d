import { describe, expect, it } from "vitest";
import { buildAccessLog } from "../telemetry/access-log";
import { buildHttpSpan } from "../telemetry/span";
import { TelemetrySinkModel } from "./telemetry";
import { parseShipment } from "./telemetry-shipment";

const loki = TelemetrySinkModel.parse({
  id: "TelemetrySink/default/loki",
  type: "loki",
  endpoint: "https://l.example",
});
const entry = buildAccessLog({
  startMs: 1_700_000_000_000,
  durationMs: 3,
  requestId: "r1",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
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
  ctx: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", flags: 1 },
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

describe("parseShipment", () => {
  it("still reads format 1 (ready entries), as JSON text or as an object, for messages queued before an upgrade", () => {
    const v1 = {
      format: 1,
      sinks: [loki],
      items: [
        { kind: "log", to: [0], entry },
        { kind: "span", to: [0], entry: span },
      ],
    };
    expect(parseShipment(v1)).toEqual(v1);
    expect(parseShipment(JSON.stringify(v1))).toEqual(JSON.parse(JSON.stringify(v1)));
    expect(parseShipment({ ...v1, items: [{ kind: "log", to: [1], entry }] })).toBeNull();
  });
});
