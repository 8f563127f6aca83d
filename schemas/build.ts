// Builds the JSON Schemas of every resource kind from the zod schemas the control plane validates with, and the
// Markdown reference page generated from them. Run by `npm run schemas` (scripts/schemas.mjs).
import * as z from "zod";
import { KIND_INFO } from "../shared/resources/registry";
import { metadataSchema } from "../shared/resources/common";
import type { KindInfo } from "../shared/resources/registry";

export const SCHEMA_BASE_URL = "https://raw.githubusercontent.com/flaremesh/flaremesh/main/schemas";

type JsonSchema = Record<string, unknown>;

/** The whole-document schema of one kind: apiVersion among the served ones, kind fixed, metadata, spec. */
function documentSchemaFor(info: KindInfo): z.ZodType {
  const [first, ...rest] = info.apiVersions;
  return z.strictObject({
    apiVersion: z.enum([first as string, ...rest]),
    kind: z.literal(info.kind),
    metadata: metadataSchema(info.name),
    spec: info.specOptional ? info.spec.optional() : info.spec,
    status: z.unknown().optional(),
  });
}

/** zod writes `format: "starts_with"` next to the equivalent pattern; editors warn on unknown formats. */
function dropNonStandardFormats(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNonStandardFormats);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "format" && (v === "starts_with" || v === "ends_with" || v === "includes")) continue;
    out[k] = dropNonStandardFormats(v);
  }
  return out;
}

function toJson(schema: z.ZodType): JsonSchema {
  // draft-07: what the YAML language server and most editors understand. Refinements (DNS names, regex safety,
  // cross-field rules) cannot be expressed; `flaremesh validate` checks them.
  const json = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" });
  return dropNonStandardFormats(json) as JsonSchema;
}

export function fileNameOf(kind: string): string {
  return `${kind.toLowerCase()}.json`;
}

/** `schemas/<kind>.json` for every kind and `schemas/all.json` (any kind, chosen by apiVersion/kind). */
export function buildSchemas(): Record<string, JsonSchema> {
  const files: Record<string, JsonSchema> = {};
  const anyOf: JsonSchema[] = [];
  for (const info of Object.values(KIND_INFO)) {
    const schema = toJson(documentSchemaFor(info));
    const file = fileNameOf(info.kind);
    const { $schema, ...rest } = schema;
    files[file] = {
      $schema,
      $id: `${SCHEMA_BASE_URL}/${file}`,
      title: `${info.kind} (${info.apiVersions.join(", ")})`,
      description: `A flaremesh ${info.kind}. Generated from shared/resources by npm run schemas; do not edit.`,
      ...rest,
    };
    anyOf.push({
      if: {
        properties: { apiVersion: { enum: [...info.apiVersions] }, kind: { const: info.kind } },
        required: ["apiVersion", "kind"],
      },
      then: { $ref: file },
    });
  }
  files["all.json"] = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `${SCHEMA_BASE_URL}/all.json`,
    title: "Any flaremesh resource",
    description: "Chooses the kind's schema by apiVersion and kind.",
    type: "object",
    required: ["apiVersion", "kind", "metadata"],
    properties: {
      apiVersion: { enum: [...new Set(Object.values(KIND_INFO).flatMap((i) => [...i.apiVersions]))] },
      kind: { enum: Object.keys(KIND_INFO) },
    },
    allOf: anyOf,
  };
  return files;
}
