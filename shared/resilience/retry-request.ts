// What a retry needs from the request itself: a replayable body, and an endpoint other than the ones that failed.
import { RESILIENCE_DEFAULTS } from "../model/resilience";

/** Bodies up to this size are buffered so that they can be sent again; larger ones are streamed once. */
export const RETRY_BODY_LIMIT_BYTES = RESILIENCE_DEFAULTS.retryBodyLimitBytes;

/**
 * How the shell should hold the request body before the first try.
 * - `none`: no body; every try can be made.
 * - `buffer`: known length within the bound: read it into memory, retries allowed.
 * - `buffer-if-fits`: unknown length (chunked): read up to `limit + 1` bytes; if the stream ends first,
 *   it is buffered (retries allowed), otherwise send what was read followed by the rest, with no retries.
 * - `stream`: too large, or the policy has no retries: forward the stream untouched; never retried.
 */
export type BodyReplayPlan = "none" | "buffer" | "buffer-if-fits" | "stream";

export function bodyReplayPlan(
  body: { hasBody: boolean; contentLength: number | null },
  maxRetries: number,
  limit: number = RETRY_BODY_LIMIT_BYTES,
): BodyReplayPlan {
  if (!body.hasBody || body.contentLength === 0) return "none";
  // Buffering costs memory and latency; pay it only when a retry is possible.
  if (maxRetries <= 0) return "stream";
  if (body.contentLength === null) return "buffer-if-fits";
  return body.contentLength <= limit ? "buffer" : "stream";
}

/**
 * Endpoints a retry may use: those not tried yet for this request, or all of them when every one has
 * been tried (Envoy's `previous_hosts` predicate, which also falls back rather than failing).
 */
export function retryCandidates<T extends string>(endpointIds: readonly T[], tried: ReadonlySet<string>): T[] {
  const fresh = endpointIds.filter((id) => !tried.has(id));
  return fresh.length > 0 ? fresh : [...endpointIds];
}
