// Conflict problems: two resources claiming one Service. The control plane answers them with code `conflict`.
import type { ErrorDetail } from "../errors";

export const CONFLICT_PREFIX = "conflict: ";

export function conflictDetail(document: string, path: string, message: string): ErrorDetail {
  return { document, path, message: CONFLICT_PREFIX + message };
}

/** Whether a problem from checkReferences is a conflict (maps to code `conflict`, HTTP 400). */
export function isConflict(detail: ErrorDetail): boolean {
  return detail.message.startsWith(CONFLICT_PREFIX);
}
