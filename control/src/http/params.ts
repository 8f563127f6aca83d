// Decoding path and query parameters into checked values; malformed input is a 400, never a 500.
import { MeshError } from "../../../shared/errors";
import type { Kind } from "../../../shared/resources/resource";
import { canonicalKind } from "../../../shared/resources/resource";

/** A path segment, percent-decoded. */
export function pathParam(value: string | undefined, name: string): string {
  try {
    const decoded = decodeURIComponent(value ?? "");
    if (decoded) return decoded;
  } catch {
    // fall through
  }
  throw new MeshError("bad_request", `invalid path parameter ${name}`);
}

/** A kind written in any case; unknown kinds are `404`, as for any path that names nothing. */
export function kindParam(value: string | undefined): Kind {
  const raw = pathParam(value, "kind");
  const kind = canonicalKind(raw);
  if (!kind) throw new MeshError("not_found", `unknown kind "${raw}"`);
  return kind;
}

/** `?name`, `?name=true|1` → true; `?name=false|0` or absent → false; anything else is a 400. */
export function booleanQuery(value: string | string[] | undefined, name: string): boolean {
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "" || value === "true" || value === "1") return true;
  throw new MeshError("bad_request", `query parameter ${name} must be true or false`);
}
