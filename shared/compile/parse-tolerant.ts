// Parses compiled data with a model schema without ever throwing: fields the schema refuses are dropped.
import type * as z from "zod";

/**
 * `schema.parse(input)`, except that a top-level field the schema rejects is removed (and parsing
 * retried) instead of throwing. Validation should make this unreachable; it keeps one unexpected field
 * from failing a whole revision. The second result lists the dropped fields.
 */
export function parseDroppingInvalid<S extends z.ZodType>(
  schema: S,
  input: Record<string, unknown>,
): [z.infer<S>, string[]] {
  const data = { ...input };
  const dropped: string[] = [];
  for (;;) {
    const result = schema.safeParse(data);
    if (result.success) return [result.data, dropped];
    const fields = result.error.issues.flatMap((i) =>
      i.code === "unrecognized_keys" && i.path.length === 0 ? i.keys : [i.path[0]],
    );
    const field = fields.find((k): k is string => typeof k === "string" && k in data);
    if (field === undefined) return [schema.parse({}), [...dropped, ...Object.keys(data)]];
    delete data[field];
    dropped.push(field);
  }
}
