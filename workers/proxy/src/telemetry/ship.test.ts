import { describe, expect, it } from "vitest";
import { TelemetrySinkModel } from "../../../../shared/model/telemetry";
import { parseShipment } from "../../../../shared/model/telemetry-shipment";
import type { RequestRecord } from "../../../../shared/telemetry/request-record";
import { toRequestRecord, type RequestFacts } from "./request-facts";
import { ship, toMessages, toShipment, type Outgoing } from "./ship";

const sink = (name: string, type: "loki" | "zipkin") =>
  TelemetrySinkModel.parse({ id: `TelemetrySink/default/${name}`, type, endpoint: "https://sink.example.com" });
const loki = sink("loki", "loki");
const zipkin = sink("zipkin", "zipkin");
const facts: RequestFacts = {
  startMs: 1_700_000_000_000,
  durationMs: 3,
  requestId: "r1",
  trace: {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    sampled: true,
    flags: 1,
    debug: false,
    origin: "new",
  },
  principal: null,
  caller: null,
  destination: null,
  endpoint: null,
  trustDomain: "cluster.local",
  routeId: null,
  method: "GET",
  url: new URL("http://reviews.localhost/"),
  websocket: false,
  userAgent: null,
  status: 200,
  upstreamId: null,
  attempts: 1,
  responseFlags: "-",
  authzPolicy: null,
  errorCode: null,
};
const record: RequestRecord = toRequestRecord(facts);
const item = (requestId: string, logSinks = [loki], spanSinks = [zipkin]): Outgoing => ({
  facts: { ...facts, requestId },
  logSinks,
  spanSinks,
});

describe("toShipment", () => {
  it("lists each sink once and points each record at its log and span sinks; the shipper accepts the result", () => {
    const shipment = toShipment([item("a"), item("b", [loki], []), item("c", [], [zipkin, loki])]);
    expect(shipment.format).toBe(2);
    expect(shipment.sinks.map((s) => s.id)).toEqual(["TelemetrySink/default/loki", "TelemetrySink/default/zipkin"]);
    expect(shipment.items.map((i) => (i.kind === "request" ? [i.logTo, i.spanTo] : null))).toEqual([
      [[0], [1]],
      [[0], []],
      [[], [1, 0]],
    ]);
    expect(parseShipment(JSON.parse(JSON.stringify(shipment)))).toEqual(shipment);
  });

  it("rejects a message whose item points past the sinks, a malformed record, or an unknown format", () => {
    const shipment = toShipment([item("a")]);
    const first = shipment.items[0]!;
    expect(parseShipment({ ...shipment, items: [{ ...first, logTo: [3] }] })).toBeNull();
    expect(parseShipment({ ...shipment, items: [{ ...first, logTo: [], spanTo: [] }] })).toBeNull();
    expect(parseShipment({ ...shipment, items: [{ ...first, record: { ...record, status: "200" } }] })).toBeNull();
    expect(parseShipment({ ...shipment, items: [{ ...first, record: { ...record, extra: 1 } }] })).toBeNull();
    expect(parseShipment({ ...shipment, format: 3 })).toBeNull();
  });
});

describe("toMessages", () => {
  it("sends a chunk as one JSON text message the shipper parses back", () => {
    // Sink lists shared between records, as a Service's requests share them, and others not.
    const logs = [loki];
    const spans = [zipkin];
    const chunk = [item("a", logs, spans), item("b"), item("c", logs, spans), item("d", [], [zipkin, loki])];
    const messages = toMessages(chunk);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body).toBe(JSON.stringify(toShipment(chunk)));
    expect(parseShipment(messages[0]!.body)).toEqual(toShipment(chunk));
  });

  it("splits a chunk over the size limit, keeping every record in order, and drops a lone oversized one", () => {
    const chunk = Array.from({ length: 10 }, (_, i) => item(`r${i}`));
    const one = JSON.stringify(toShipment(chunk.slice(0, 1))).length;
    const messages = toMessages(chunk, one * 3);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(new TextEncoder().encode(m.body).length).toBeLessThanOrEqual(one * 3);
    const ids = messages.flatMap((m) =>
      parseShipment(m.body)!.items.map((i) => (i.kind === "request" ? i.record.requestId : "")),
    );
    expect(ids).toEqual(chunk.map((c) => c.facts.requestId));
    expect(toMessages(chunk.slice(0, 1), 10)).toEqual([]);
  });

  it("measures the limit in UTF-8 bytes, not in characters", () => {
    // Each user agent is 40 characters but 160 bytes in UTF-8 (four-byte characters are two UTF-16 units).
    const wide = (id: string): Outgoing => ({
      ...item(id),
      facts: { ...facts, requestId: id, userAgent: "😀".repeat(20) },
    });
    const chunk = Array.from({ length: 6 }, (_, i) => wide(`w${i}`));
    const whole = JSON.stringify(toShipment(chunk));
    const bytes = new TextEncoder().encode(whole).length;
    expect(bytes).toBeGreaterThan(whole.length);
    // A limit the characters fit under but the bytes do not: split.
    const limit = Math.floor((whole.length + bytes) / 2);
    const messages = toMessages(chunk, limit);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(new TextEncoder().encode(m.body).length).toBeLessThanOrEqual(limit);
    // Exactly the byte length: one message.
    expect(toMessages(chunk, bytes)).toHaveLength(1);
    expect(toMessages(chunk, bytes - 1).length).toBeGreaterThan(1);
  });

  it("refuses text that is not JSON", () => {
    expect(parseShipment("{not json")).toBeNull();
  });
});

describe("ship", () => {
  it("gathers records into one message per round and schedules again for records that come later", async () => {
    const sent: string[] = [];
    const queue = { send: async (body: string) => void sent.push(body) };
    const pending: Promise<unknown>[] = [];
    const exec = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    for (const id of ["a", "b", "c"]) ship(exec, queue, item(id));
    expect(pending).toHaveLength(1); // one background drain for the three
    await Promise.all(pending);
    expect(sent).toHaveLength(1);
    expect(parseShipment(sent[0]!)!.items.map((i) => (i.kind === "request" ? i.record.requestId : ""))).toEqual([
      "a",
      "b",
      "c",
    ]);
    ship(exec, queue, item("d")); // the drain has ended: a new one starts
    expect(pending).toHaveLength(2);
    await Promise.all(pending);
    expect(sent).toHaveLength(2);
    // Nothing to ship (no sink takes logs or spans): no drain at all.
    ship(exec, queue, item("e", [], []));
    expect(pending).toHaveLength(2);
  });
});
