// Loki push API JSON encoder (`POST {endpoint}/loki/api/v1/push`).
import type { AccessLogEntry } from "./access-log";
import { msToUnixNano } from "./span";

export const LOKI_PUSH_PATH = "/loki/api/v1/push";
export const LOKI_CONTENT_TYPE = "application/json";

/** `[timestamp ns as a string, line]`, or with Loki 3 structured metadata as a third element. */
export type LokiValue = [string, string] | [string, string, Record<string, string>];
export interface LokiStream {
  stream: Record<string, string>;
  values: LokiValue[];
}
export interface LokiPush {
  streams: LokiStream[];
}

/**
 * Loki indexes labels, so only low-cardinality ones become labels: service, namespace, level.
 * Everything else (trace id, path, status) stays in the JSON line, queried with `| json`.
 * `structuredMetadata` adds `trace_id`/`span_id` as Loki 3 structured metadata (older Lokis reject it).
 * Per batch.
 */
export function encodeLokiPush(
  entries: readonly AccessLogEntry[],
  options: { structuredMetadata?: boolean } = {},
): LokiPush {
  const streams = new Map<string, { labels: Record<string, string>; lines: { ms: number; value: LokiValue }[] }>();
  for (const entry of entries) {
    const labels = { service: entry.destination.service, namespace: entry.destination.namespace, level: entry.level };
    const key = JSON.stringify([labels.namespace, labels.service, labels.level]);
    const stream = streams.get(key) ?? { labels, lines: [] as { ms: number; value: LokiValue }[] };
    const parsed = Date.parse(entry.time);
    const ms = Number.isFinite(parsed) ? parsed : 0;
    const line = JSON.stringify(entry);
    const value: LokiValue = options.structuredMetadata
      ? [msToUnixNano(ms), line, { trace_id: entry.trace_id, span_id: entry.span_id }]
      : [msToUnixNano(ms), line];
    stream.lines.push({ ms, value });
    streams.set(key, stream);
  }
  return {
    streams: [...streams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, s]) => ({
        stream: s.labels,
        // Entries of a stream must go in time order; the sort is stable for equal times.
        values: s.lines.sort((a, b) => a.ms - b.ms).map((l) => l.value),
      })),
  };
}
