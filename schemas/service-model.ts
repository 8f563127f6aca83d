// The JSON Schema of a snapshot's per-service model (shared/model/snapshot.ts `ServiceModel`), from which
// `npm run schemas` generates the proxy's ahead-of-time validator (shared/model/generated/validate-service.js).
import * as z from "zod";
import { ServiceModel } from "../shared/model/snapshot";

/**
 * Input-side schema, so fields with defaults are optional and carry `default` (the validator fills them in, as zod
 * does). `unrepresentable: "throw"`: a refinement or transform added to the model must fail generation, not be
 * silently dropped from what the proxy checks.
 */
export function serviceModelJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ServiceModel, {
    target: "draft-7",
    io: "input",
    unrepresentable: "throw",
    reused: "ref",
  }) as Record<string, unknown>;
}
