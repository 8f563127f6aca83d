// What a proxy puts on the telemetry queue: one record per request (format 2; format 1 carried a ready access-log
// entry and a span each), with the sinks (and their config) it goes to.
import * as z from "zod";
import type { AccessLogEntry } from "../telemetry/access-log";
import type { RequestRecord } from "../telemetry/request-record";
import type { SpanRecord } from "../telemetry/span";
import { TelemetrySinkModel } from "./telemetry";

/** What proxies send. The shipper also reads format 1 (messages queued by proxies of the previous version). */
export const SHIPMENT_FORMAT = 2;

/**
 * One queue message. The sinks travel with the entries (they are small), so the shipper needs no
 * configuration of its own and an entry is always shipped with the config of the revision that made it.
 */
export interface Shipment {
  format: 1 | typeof SHIPMENT_FORMAT;
  sinks: TelemetrySinkModel[];
  /** `to`, `logTo` and `spanTo` index `sinks`. */
  items: ShipmentItem[];
}
export type ShipmentItem =
  | { kind: "log"; to: number[]; entry: AccessLogEntry }
  | { kind: "span"; to: number[]; entry: SpanRecord }
  /** Format 2: the shipper derives the access-log entry for `logTo` and the span for `spanTo`. */
  | { kind: "request"; logTo: number[]; spanTo: number[]; record: RequestRecord };

const text = z.string().max(8_192);
const nullableText = text.nullable();
const Record = z.strictObject({
  startMs: z.number(),
  durationMs: z.number(),
  requestId: text,
  traceId: text,
  spanId: text,
  parentSpanId: nullableText,
  traceFlags: z.number().int(),
  tracestate: z.array(text).max(32).nullable(),
  sourcePrincipal: nullableText,
  sourceService: nullableText,
  sourceNamespace: nullableText,
  destinationService: text,
  destinationNamespace: text,
  destinationVersion: nullableText,
  destinationPrincipal: nullableText,
  routeId: nullableText,
  method: text,
  scheme: z.enum(["http", "https"]),
  authority: text,
  hostname: text,
  port: z.number().int().nullable(),
  path: text,
  protocol: text,
  status: z.number().int(),
  upstreamId: nullableText,
  upstreamChosen: z.boolean(),
  upstreamUrl: nullableText,
  upstreamWorker: nullableText,
  attempts: z.number().int().min(0),
  responseFlags: text,
  authzPolicy: nullableText,
  errorCode: nullableText,
  userAgent: nullableText,
});
const sinkIndexes = z.array(z.number().int().min(0)).max(64);

// Entries are built by the proxy from the pure core; the shipper checks the envelope and the shapes
// encoders rely on, and passes the rest through.
const Item = z.discriminatedUnion("kind", [
  z
    .object({ kind: z.literal("request"), logTo: sinkIndexes, spanTo: sinkIndexes, record: Record })
    .refine((i) => i.logTo.length + i.spanTo.length > 0, "a request item goes to at least one sink"),
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
  format: z.union([z.literal(1), z.literal(SHIPMENT_FORMAT)]),
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
  const inRange = (indexes: number[]) => indexes.every((t) => t < n);
  return shipment.items.every((i) => (i.kind === "request" ? inRange(i.logTo) && inRange(i.spanTo) : inRange(i.to)))
    ? shipment
    : null;
}
