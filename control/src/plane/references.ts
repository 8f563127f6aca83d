// Cross-reference checks of a candidate resource set, and how their problems map to API errors.
import type { ErrorDetail } from "../../../shared/errors";
import type { Resource } from "../../../shared/resources/resource";
import type { ValidateOptions } from "../../../shared/validate/index";
import { checkReferences, isConflict } from "../../../shared/validate/index";
import { canonicalJson } from "./content";
import type { PlaneResult } from "./result";
import { fail } from "./result";

/**
 * The problems `next` has that `current` does not. The current set is consistent by construction; should a
 * newer release check more strictly, problems already present must not block every unrelated change.
 */
export function introducedProblems(
  next: readonly Resource[],
  current: readonly Resource[],
  options: ValidateOptions,
): ErrorDetail[] {
  const problems = checkReferences([...next], options);
  if (problems.length === 0) return problems;
  const existing = new Set(checkReferences([...current], options).map(canonicalJson));
  return problems.filter((p) => !existing.has(canonicalJson(p)));
}

/** `400 conflict` when every problem is two resources claiming one Service, else `400 invalid_resource`. */
export function referenceFailure(problems: ErrorDetail[], message: string): PlaneResult<never> {
  const claims = problems.every(isConflict);
  return claims
    ? fail("conflict", message, { status: 400, details: problems })
    : fail("invalid_resource", message, { details: problems });
}
