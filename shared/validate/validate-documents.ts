// Validates parsed documents one by one against their kind's schema, then checks for duplicates.
import type { ErrorDetail } from "../errors";
import type { Resource, ResourceMetadata } from "../resources/resource";
import { canonicalKind, resourceId } from "../resources/resource";
import type { KindInfo } from "../resources/registry";
import { documentSchema, kindInfo, KIND_INFO } from "../resources/registry";
import { issuesToDetails } from "./issues";
import { kindWarnings } from "./kind-warnings";

export type ValidationResult =
  { ok: true; resources: Resource[]; warnings: ErrorDetail[] } | { ok: false; problems: ErrorDetail[] };

type Raw = Record<string, unknown>;

function isPlainObject(value: unknown): value is Raw {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `Kind/name` when both are readable, else `#index`. */
export function documentLabel(doc: unknown, index: number): string {
  if (
    isPlainObject(doc) &&
    typeof doc.kind === "string" &&
    isPlainObject(doc.metadata) &&
    typeof doc.metadata.name === "string" &&
    doc.metadata.name !== ""
  ) {
    return `${doc.kind}/${doc.metadata.name}`;
  }
  return `#${index}`;
}

function checkType(doc: Raw, label: string): { info: KindInfo } | { problem: ErrorDetail } {
  if (typeof doc.apiVersion !== "string" || doc.apiVersion === "")
    return { problem: { document: label, path: "apiVersion", message: "is required" } };
  if (typeof doc.kind !== "string" || doc.kind === "")
    return { problem: { document: label, path: "kind", message: "is required" } };
  const info = kindInfo(doc.kind);
  if (info === undefined) {
    const canonical = canonicalKind(doc.kind);
    const hint =
      canonical !== undefined
        ? ` (did you mean ${canonical}?)`
        : `; accepted kinds: ${Object.keys(KIND_INFO).join(", ")}`;
    return { problem: { document: label, path: "kind", message: `unknown kind "${doc.kind}"${hint}` } };
  }
  if (!info.apiVersions.includes(doc.apiVersion)) {
    return {
      problem: {
        document: label,
        path: "apiVersion",
        message: `${info.kind} is served by ${info.apiVersions.join(", ")}, not ${doc.apiVersion}`,
      },
    };
  }
  return { info };
}

function toMetadata(meta: Raw): ResourceMetadata {
  const out: ResourceMetadata = {
    name: String(meta.name),
    namespace: typeof meta.namespace === "string" ? meta.namespace : "default",
  };
  if (isPlainObject(meta.labels)) out.labels = meta.labels as Record<string, string>;
  if (isPlainObject(meta.annotations)) out.annotations = meta.annotations as Record<string, string>;
  if (meta.resourceVersion !== undefined) out.resourceVersion = String(meta.resourceVersion);
  if (typeof meta.creationTimestamp === "string") out.creationTimestamp = meta.creationTimestamp;
  return out;
}

function validateOne(
  doc: unknown,
  index: number,
): { resource?: Resource; problems: ErrorDetail[]; warnings: ErrorDetail[] } {
  const label = documentLabel(doc, index);
  if (!isPlainObject(doc))
    return { problems: [{ document: label, message: "expected a resource object" }], warnings: [] };
  const checked = checkType(doc, label);
  if ("problem" in checked) return { problems: [checked.problem], warnings: [] };
  const { info } = checked;
  // `spec:` with nothing after it is YAML null; Kubernetes reads it as absent.
  const input = doc.spec === null ? { ...doc, spec: undefined } : doc;
  const parsed = documentSchema(info).safeParse(input);
  if (!parsed.success) return { problems: issuesToDetails(parsed.error.issues, label, doc), warnings: [] };
  const data = parsed.data as { apiVersion: string; metadata: Raw; spec?: unknown };
  const resource: Resource = {
    apiVersion: data.apiVersion,
    kind: info.kind,
    metadata: toMetadata(data.metadata),
    spec: data.spec ?? {},
  };
  if (info.kind === "MeshConfig" && resource.metadata.name !== "default") {
    return {
      problems: [
        { document: label, path: "metadata.name", message: 'MeshConfig is a singleton and must be named "default"' },
      ],
      warnings: [],
    };
  }
  return { resource, problems: [], warnings: kindWarnings(info, resource, doc, label) };
}

/** Validates every document; all problems of all documents are reported together. */
export function validateDocuments(documents: unknown[]): ValidationResult {
  const problems: ErrorDetail[] = [];
  const warnings: ErrorDetail[] = [];
  const resources: Resource[] = [];
  const firstSeen = new Map<string, number>();
  documents.forEach((doc, index) => {
    const result = validateOne(doc, index);
    problems.push(...result.problems);
    warnings.push(...result.warnings);
    if (result.resource === undefined) return;
    const id = resourceId(result.resource);
    const first = firstSeen.get(id);
    if (first !== undefined) {
      problems.push({
        document: documentLabel(doc, index),
        path: "metadata.name",
        message: `duplicate: ${id} also appears as document #${first} of this request`,
      });
      return;
    }
    firstSeen.set(id, index);
    resources.push(result.resource);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, resources, warnings };
}
