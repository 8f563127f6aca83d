// Schema pieces shared by the Istio kinds: StringMatch, Percent, Destination, PortSelector.
import * as z from "zod";
import { headerName, percentage, port, regexError } from "./common";

/**
 * Istio `StringMatch`: a oneOf of `exact` / `prefix` / `regex`. An empty object is allowed (Istio treats a
 * header given with `{}` as "present"); more than one key is not.
 */
export const stringMatch = z
  .strictObject({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() })
  .superRefine((m, ctx) => {
    const set = (["exact", "prefix", "regex"] as const).filter((k) => m[k] !== undefined);
    if (set.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [set[1] ?? "exact"],
        message: `only one of exact, prefix, regex may be set (got ${set.join(", ")})`,
      });
    }
    if (m.regex !== undefined) {
      const problem = regexError(m.regex);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["regex"], message: problem });
    }
  });
export type StringMatch = z.infer<typeof stringMatch>;

/** Istio `Percent` message: `{value: 0–100}`. */
export const percent = z.strictObject({ value: percentage });

/** Istio `PortSelector`. */
export const portSelector = z.strictObject({ number: port });

/** Istio `Destination`: a Service host, optionally a DestinationRule subset. */
export const destination = z.strictObject({
  host: z.string().min(1, "must not be empty"),
  subset: z.string().min(1).optional(),
  port: portSelector.optional(),
});
export type Destination = z.infer<typeof destination>;

/** `exportTo` namespaces (`.` = own namespace, `*` = all). */
export const exportTo = z.array(z.string());

/** Istio `HeaderOperations` (VirtualService headers.request / headers.response). */
export const headerOperations = z.strictObject({
  set: z.record(headerName, z.string()).optional(),
  add: z.record(headerName, z.string()).optional(),
  remove: z.array(headerName).optional(),
});
export type HeaderOperations = z.infer<typeof headerOperations>;

export const headers = z.strictObject({
  request: headerOperations.optional(),
  response: headerOperations.optional(),
});
