// Istio-style retry settings (attempts, retryOn list, perTryTimeout, backoff) → RetryModel.
import type { RetryModel } from "../model/snapshot";
import { durationToMs } from "../duration";

/** Istio's retryOn when a retry policy names none. */
export const DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
/** Istio's attempts when a retry policy names none. */
export const DEFAULT_RETRY_ATTEMPTS = 2;

export interface RetrySettings {
  attempts?: number | undefined;
  /** Comma list (Istio) or list of conditions; three-digit items are status codes. */
  retryOn?: string | string[] | undefined;
  perTryTimeout?: string | undefined;
  backoff?: string | undefined;
}

export function compileRetry(r: RetrySettings): RetryModel {
  const raw = r.retryOn ?? DEFAULT_RETRY_ON;
  const items = (Array.isArray(raw) ? raw : raw.split(",")).map((s) => s.trim()).filter((s) => s !== "");
  const codes = items.filter((s) => /^\d{3}$/.test(s)).map(Number);
  const retryOn = items.filter((s) => !/^\d{3}$/.test(s));
  if (codes.length > 0 && !retryOn.includes("retriable-status-codes")) retryOn.push("retriable-status-codes");
  // Istio retries 503 for `retriable-status-codes` when no code is listed.
  if (codes.length === 0 && retryOn.includes("retriable-status-codes")) codes.push(503);
  const model: RetryModel = { attempts: r.attempts ?? DEFAULT_RETRY_ATTEMPTS, retryOn, codes };
  const perTry = r.perTryTimeout !== undefined ? durationToMs(r.perTryTimeout) : 0;
  if (perTry > 0) model.perTryTimeoutMs = perTry;
  const backoff = r.backoff !== undefined ? durationToMs(r.backoff) : 0;
  if (backoff > 0) model.backoffBaseMs = backoff;
  return model;
}
