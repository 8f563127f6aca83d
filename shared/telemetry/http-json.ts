// Plain JSON batches for generic HTTP log receivers (Fluent Bit, Vector, Splunk HEC-style, Datadog).

export type HttpJsonFormat = "json" | "ndjson";

/**
 * `json`: one document `{"entries":[…]}`; `ndjson`: one entry per line, each line ending in `\n`
 * (what Fluent Bit's and Vector's HTTP inputs split on). Per batch.
 */
export function encodeHttpJson(
  entries: readonly unknown[],
  format: HttpJsonFormat = "json",
): { body: string; contentType: string } {
  if (format === "ndjson") {
    return { body: entries.map((e) => `${JSON.stringify(e)}\n`).join(""), contentType: "application/x-ndjson" };
  }
  return { body: JSON.stringify({ entries }), contentType: "application/json" };
}
