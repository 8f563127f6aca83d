// Test helper: YAML text → validated resources (throws with the problems when validation fails).
import type { Resource } from "../../resources/resource";
import { parseDocuments } from "../parse-documents";
import { validateDocuments } from "../validate-documents";

export function loadResources(...yamlTexts: string[]): Resource[] {
  const result = validateDocuments(parseDocuments(yamlTexts.join("\n---\n"), "yaml"));
  if (!result.ok) throw new Error(`invalid fixture: ${JSON.stringify(result.problems, null, 2)}`);
  return result.resources;
}

/** Sets `metadata.creationTimestamp` (resources come back from the control plane with one). */
export function createdAt<T extends Resource>(resource: T, timestamp: string): T {
  return { ...resource, metadata: { ...resource.metadata, creationTimestamp: timestamp } };
}
