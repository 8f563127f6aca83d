// Façade: turn a request body into validated resources, and check a whole resource set for consistency.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import { parseDocuments as parse } from "./parse-documents";
import { validateDocuments as validate } from "./validate-documents";
import { checkReferences as check } from "./check-references";

export { isConflict, CONFLICT_PREFIX } from "./conflict";
export { MAX_BODY_BYTES, MAX_DOCUMENTS, MAX_ALIAS_COUNT } from "./parse-documents";

export type MediaType = "yaml" | "json";

export interface ValidateOptions {
  /** `development` allows loopback/private endpoint URLs (local mesh); `production` refuses them unless MeshConfig allows. */
  environment: "development" | "production";
}

/**
 * Parses a body (one resource, a JSON array, or multi-document YAML) into plain documents.
 * Throws MeshError(`bad_request`) naming the document index and line for syntax errors
 * (`payload_too_large` above 1 MiB).
 */
export function parseDocuments(body: string, media: MediaType): unknown[] {
  return parse(body, media);
}

/**
 * Validates each document against its kind's schema (unknown kinds, unknown or ill-typed fields are
 * errors), fills defaults (metadata.namespace = "default"), and returns the resources in request order.
 * Every problem names its document (`Kind/name` or `#index`) and field path. Warnings name fields that
 * are accepted but not acted upon.
 */
export function validateDocuments(
  documents: unknown[],
  _options: ValidateOptions,
): { ok: true; resources: Resource[]; warnings: ErrorDetail[] } | { ok: false; problems: ErrorDetail[] } {
  return validate(documents);
}

/**
 * Checks the cross-references of a complete resource set (what the mesh would hold after a change):
 * routes to unknown Services, subsets no DestinationRule defines, an HTTPRoute and a VirtualService
 * claiming the same Service, duplicate singletons, SSRF rules for endpoints. Returns [] when consistent.
 * Problems whose message starts with `conflict:` (see `isConflict`) are conflicts.
 */
export function checkReferences(resources: Resource[], options: ValidateOptions): ErrorDetail[] {
  return check(resources, options.environment);
}
