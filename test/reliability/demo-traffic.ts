// Traffic through two proxy hops of the demo (client → productpage proxy → productpage → egress → details/reviews),
// and how to tell a mesh-caused failure from a fine answer at either hop.
import type { TestMesh } from "../helpers/local-mesh";
import { meshError, send, type Answer } from "./http";

export const PRODUCT_PATH = "/api/v1/products/0";

export function productRequest(mesh: Pick<TestMesh, "port">): () => Promise<Answer> {
  return () => send(mesh.port, "productpage.localhost", PRODUCT_PATH);
}

/**
 * A problem when the first hop failed (socket, deadline, a 5xx, any `x-mesh-error`) or the second hop did:
 * productpage embeds `{status, error}` instead of a dependency's answer when its call through the egress failed.
 */
export function judgeProduct(answer: Answer): string | undefined {
  if (answer.failure) return `${answer.failure}: ${answer.detail ?? ""}`;
  const code = meshError(answer);
  if (code) return `hop 1: ${answer.status} x-mesh-error ${code}`;
  if (answer.status !== 200) return `hop 1: status ${answer.status}`;
  let body: { details?: { service?: unknown; error?: unknown }; reviews?: { service?: unknown; error?: unknown } };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return "hop 1: body is not JSON";
  }
  for (const dep of ["details", "reviews"] as const) {
    const part = body[dep];
    if (part?.service !== dep) return `hop 2 (${dep}): ${JSON.stringify(part?.error ?? part).slice(0, 200)}`;
  }
  return undefined;
}

/** Counts problems by their text, for failure messages. */
export function tally(problems: readonly (string | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of problems) if (p !== undefined) out[p] = (out[p] ?? 0) + 1;
  return out;
}
