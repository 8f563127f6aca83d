import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildAccessLog, type AccessLogEntry, type AccessLogInput } from "./access-log";
import { encodeLokiPush } from "./loki";

// Strict schema of the Loki push API JSON body (`POST /loki/api/v1/push`).
const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
const Push = z.strictObject({
  streams: z
    .array(
      z.strictObject({
        stream: z.record(LabelName, z.string()),
        values: z.array(
          z.union([
            z.tuple([z.string().regex(/^\d{1,19}$/), z.string()]),
            z.tuple([z.string().regex(/^\d{1,19}$/), z.string(), z.record(z.string(), z.string())]),
          ]),
        ),
      }),
    )
    .min(1),
});

const input: AccessLogInput = {
  startMs: 1_700_000_000_000,
  durationMs: 1,
  requestId: "r",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "1112131415161718",
  source: {},
  destination: { service: "reviews", namespace: "default" },
  method: "GET",
  authority: "reviews.localhost",
  path: "/",
  protocol: "HTTP/1.1",
  status: 200,
  attempts: 1,
  flags: [],
};
const at = (ms: number, patch: Partial<AccessLogInput> = {}): AccessLogEntry =>
  buildAccessLog({ ...input, ...patch, startMs: ms });

describe("encodeLokiPush", () => {
  const entries = [
    at(3_000),
    at(1_000),
    at(2_000, { status: 503 }),
    at(2_000, { destination: { service: "ratings", namespace: "default" } }),
    at(1_500),
  ];
  const push = encodeLokiPush(entries);

  it("is a valid push body with low-cardinality labels only", () => {
    expect(Push.safeParse(push).error?.issues ?? []).toEqual([]);
    expect(push.streams.map((s) => s.stream)).toEqual([
      { service: "ratings", namespace: "default", level: "info" },
      { service: "reviews", namespace: "default", level: "error" },
      { service: "reviews", namespace: "default", level: "info" },
    ]);
  });

  it("sorts each stream's entries by time, timestamps in nanoseconds", () => {
    const info = push.streams[2]!;
    expect(info.values.map((v) => v[0])).toEqual(["1000", "1500", "3000"].map((ms) => `${ms}000000`));
    expect(JSON.parse(info.values[0]![1])).toEqual(entries[1]);
  });

  it("adds trace ids as structured metadata only when asked", () => {
    const withMeta = encodeLokiPush([at(1)], { structuredMetadata: true });
    expect(Push.safeParse(withMeta).success).toBe(true);
    expect(withMeta.streams[0]!.values[0]![2]).toEqual({ trace_id: input.traceId, span_id: input.spanId });
    expect(encodeLokiPush([at(1)]).streams[0]!.values[0]).toHaveLength(2);
  });

  it("encodes nothing as no streams", () => {
    expect(encodeLokiPush([])).toEqual({ streams: [] });
  });
});
