// What a proxy puts on the telemetry queue: access logs and spans, each with the sinks (and their config) it goes to.
import { z } from "zod";
import type { AccessLogEntry } from "../telemetry/access-log";
import type { SpanRecord } from "../telemetry/span";
import { TelemetrySinkModel } from "./telemetry";

export const SHIPMENT_FORMAT = 1;

/**
 * One queue message. The sinks travel with the entries (they are small), so the shipper needs no
 * configuration of its own and an entry is always shipped with the config of the revision that made it.
 */
export interface Shipment {
  format: typeof SHIPMENT_FORMAT;
  sinks: TelemetrySinkModel[];
  /** `to` indexes `sinks`. */
  items: ShipmentItem[];
}
export type ShipmentItem =
  { kind: "log"; to: number[]; entry: AccessLogEntry } | { kind: "span"; to: number[]; entry: SpanRecord };

// Entries are built by the proxy from the pure core; the shipper checks the envelope and the shapes
// encoders rely on, and passes the rest through.
const Item = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("log"),
    to: z.array(z.number().int().min(0)).min(1),
    entry: z.looseObject({ time: z.string(), trace_id: z.string(), destination: z.looseObject({}) }),
  }),
  z.object({
    kind: z.literal("span"),
    to: z.array(z.number().int().min(0)).min(1),
    entry: z.looseObject({ traceId: z.string(), spanId: z.string(), service: z.looseObject({}) }),
  }),
]);

export const ShipmentSchema = z.strictObject({
  format: z.literal(SHIPMENT_FORMAT),
  sinks: z.array(TelemetrySinkModel).max(64),
  items: z.array(Item).max(1_000),
});

/**
 * Validates a queue message body — JSON text (what proxies send) or an already decoded object (a `json`
 * message) — and returns null when it is not a shipment this version understands.
 */
export function parseShipment(value: unknown): Shipment | null {
  let decoded = value;
  if (typeof value === "string") {
    try {
      decoded = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const result = ShipmentSchema.safeParse(decoded);
  if (!result.success) return null;
  const shipment = result.data as unknown as Shipment;
  const n = shipment.sinks.length;
  return shipment.items.every((i) => i.to.every((t) => t < n)) ? shipment : null;
}
