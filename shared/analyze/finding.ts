// What an analyzer reports: a problem or a warning about one field of one document, with a stable code.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import { resourceId } from "../resources/resource";

export type Severity = "error" | "warning";

/** Stable analyzer codes (like istioctl's IST0xxx), so scripts and tests can rely on them. */
export type FindingCode =
  "route-conflict" | "weights-all-zero" | "route-shadowed" | "authz-allow-nothing" | "authz-deny-all";

export interface Finding extends ErrorDetail {
  severity: Severity;
  code: FindingCode;
  /** `Kind/name` as validateDocuments names documents. */
  document: string;
  path: string;
  /** `Kind/namespace/name` of the resource, to tell documents of equal label apart. */
  id: string;
}

/** `Kind/name`, the label validateDocuments gives a document. */
export function labelOf(resource: Resource): string {
  return `${resource.kind}/${resource.metadata.name}`;
}

export function finding(
  resource: Resource,
  severity: Severity,
  code: FindingCode,
  path: string,
  message: string,
): Finding {
  return { severity, code, document: labelOf(resource), path, message, id: resourceId(resource) };
}
