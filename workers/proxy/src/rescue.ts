// The one place that turns a thrown error into a proxy error response (contract §5.3).
import { isMeshError, MeshError, toErrorBody } from "../../../shared/errors";

export function rescue(err: unknown): Response {
  let meshError: MeshError;
  if (isMeshError(err)) meshError = err;
  else {
    // A bug, not a mesh decision: log the stack here, never send it to the client.
    console.error("flaremesh-proxy: unexpected error", err);
    meshError = new MeshError("internal", "the proxy failed to handle the request");
  }
  return new Response(JSON.stringify(toErrorBody(meshError)), {
    status: meshError.status,
    headers: { ...meshError.headers, "content-type": "application/json", "x-mesh-error": meshError.code },
  });
}
