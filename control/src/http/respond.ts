// JSON responses, and the one function that turns any thrown value into the contract's error body (§5.3).
import { isMeshError, toErrorBody } from "../../../shared/errors";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** MeshError → its code, status and headers; anything else → 500 `internal`, logged but never echoed. */
export function toResponse(error: unknown): Response {
  if (isMeshError(error)) return json(toErrorBody(error), error.status, error.headers);
  console.error("control: unexpected error", error);
  return json({ error: { code: "internal", message: "internal error", details: [] } }, 500);
}
