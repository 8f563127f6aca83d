// One call to another service through the mesh egress binding, with an answer that never throws.

import type { DemoEnv } from "./env";
import { forwardHeaders } from "./forward-headers";

/** What a dependency answered: its JSON body on 2xx, or `{error}` with the status it failed with. */
export type CallResult =
  | { ok: true; status: number; body: Record<string, unknown> }
  | { ok: false; status: number; error: { code?: string; message: string } };

export interface CallOptions {
  /** Give up after this many milliseconds (the request is aborted, not merely abandoned). */
  timeoutMs: number;
}

/**
 * GETs `url` (e.g. `http://ratings/ratings/0`) through `env.MESH`, forwarding the trace and end-user headers
 * of `incoming`. A mesh error body `{error:{code,message}}` is passed up as is; a timeout is status 504.
 */
export async function callService(
  env: Pick<DemoEnv, "MESH">,
  url: string,
  incoming: Headers,
  options: CallOptions,
): Promise<CallResult> {
  let response: Response;
  try {
    response = await env.MESH.fetch(url, {
      headers: forwardHeaders(incoming),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return timedOut
      ? { ok: false, status: 504, error: { code: "timeout", message: `no answer within ${options.timeoutMs} ms` } }
      : { ok: false, status: 502, error: { code: "call_failed", message: String(err) } };
  }
  const text = await response.text().catch(() => "");
  const parsed = parseObject(text);
  if (response.ok && parsed) return { ok: true, status: response.status, body: parsed };
  if (response.ok)
    return { ok: false, status: 502, error: { code: "bad_body", message: "answer was not a JSON object" } };
  return { ok: false, status: response.status, error: errorOf(parsed, text, response.status) };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Mesh errors are `{error:{code,message}}`; a service may answer `{error:"..."}`; anything else is its text. */
function errorOf(
  body: Record<string, unknown> | null,
  text: string,
  status: number,
): { code?: string; message: string } {
  const inner = body?.["error"];
  if (inner !== null && typeof inner === "object") {
    const { code, message } = inner as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === "string" ? { code } : {}),
      message: typeof message === "string" ? message : `status ${status}`,
    };
  }
  if (typeof inner === "string") return { message: inner };
  return { message: text.trim().slice(0, 200) || `status ${status}` };
}
