// Classifies one upstream try (a response or a thrown error) into the facts that retries, outlier
// detection, error responses and telemetry decide on.
import type { ProxyErrorCode } from "../errors";

/**
 * Why a try produced no usable response.
 * - `connect-failure`: no connection, or the connection was lost before any response header.
 * - `reset`: the connection broke after the upstream certainly or probably got the request.
 * - `timeout`: the per-try or the request timeout aborted the try.
 * - `refused-stream`: HTTP/2 REFUSED_STREAM; never observable on Workers, kept for completeness.
 * - `overflow`: the circuit breaker refused the try locally (never retried, never counts against an endpoint).
 * - `cancelled`: the client went away; nothing more should be attempted.
 */
export type UpstreamFailure = "connect-failure" | "reset" | "timeout" | "refused-stream" | "overflow" | "cancelled";

/** Whether the upstream received the request: decides if a non-idempotent request may be retried. */
export type Delivery = "no" | "yes" | "unknown";

export interface TryOutcome {
  /** HTTP status of the upstream response, when there was one. */
  status?: number;
  /** Numeric `grpc-status` response header (gRPC-Web / Connect trailers-only responses). */
  grpcStatus?: number;
  failure?: UpstreamFailure;
  /** Which timer fired, for `failure: "timeout"`; a request timeout is never retried. */
  timedOut?: "per-try" | "request";
  delivered: Delivery;
}

/** What the proxy observed for one try. */
export type TryResult =
  | { response: { status: number; grpcStatus?: string | null } }
  | {
      error: unknown;
      /** Set by the shell when its own timer aborted the try. */
      timedOut?: "per-try" | "request";
      /** Set by the shell when the client's signal aborted the try. */
      cancelled?: boolean;
      /** True when the error happened while reading the body, after the response headers arrived. */
      afterHeaders?: boolean;
    };

/** The outcome the shell reports when the circuit breaker overflows. */
export const OVERFLOW_OUTCOME: TryOutcome = Object.freeze({ failure: "overflow", delivered: "no" });

// Resolver/connect errors from Node-like runtimes: these guarantee the request was never sent.
const NOT_SENT =
  /ECONNREFUSED|connection refused|ENOTFOUND|EAI_AGAIN|getaddrinfo|no such host|ENETUNREACH|EHOSTUNREACH/i;
// workerd reports both a refused connection and one closed before the response as "Network connection
// lost." — indistinguishable, so they are a connect failure whose delivery is unknown.
const LOST =
  /network connection lost|ECONNRESET|socket hang up|connection reset|disconnected|other side closed|terminated/i;

function errorText(error: unknown): { name: string; message: string } {
  if (typeof error === "object" && error !== null) {
    const e = error as { name?: unknown; message?: unknown };
    return { name: typeof e.name === "string" ? e.name : "", message: typeof e.message === "string" ? e.message : "" };
  }
  return { name: "", message: typeof error === "string" ? error : "" };
}

/** Turns what the shell saw into a TryOutcome. Pure: inspects only the error's name and message. */
export function classifyOutcome(result: TryResult): TryOutcome {
  if ("response" in result) {
    const grpc = result.response.grpcStatus;
    const grpcStatus =
      grpc !== undefined && grpc !== null && /^\d{1,2}$/.test(grpc.trim()) ? Number(grpc.trim()) : undefined;
    return grpcStatus === undefined
      ? { status: result.response.status, delivered: "yes" }
      : { status: result.response.status, grpcStatus, delivered: "yes" };
  }
  const { name, message } = errorText(result.error);
  if (result.timedOut !== undefined) return { failure: "timeout", timedOut: result.timedOut, delivered: "unknown" };
  if (result.cancelled === true || name === "AbortError") return { failure: "cancelled", delivered: "unknown" };
  // A TimeoutError the shell did not attribute (e.g. AbortSignal.timeout) is a per-try timeout.
  if (name === "TimeoutError") return { failure: "timeout", timedOut: "per-try", delivered: "unknown" };
  if (result.afterHeaders === true) return { failure: "reset", delivered: "yes" };
  if (NOT_SENT.test(message)) return { failure: "connect-failure", delivered: "no" };
  if (LOST.test(message)) return { failure: "connect-failure", delivered: "unknown" };
  // Anything else (e.g. an exception thrown by a Worker behind a service binding): it may have run.
  return { failure: "reset", delivered: "unknown" };
}

/** Whether the outcome counts as a server error (outlier detection's `consecutive5xxErrors`, Envoy's `5xx`). */
export function isServerError(outcome: TryOutcome): boolean {
  if (outcome.failure !== undefined) return isUpstreamFault(outcome);
  return outcome.status !== undefined && outcome.status >= 500 && outcome.status <= 599;
}

/** Whether the outcome is a gateway error: 502/503/504 or a connection-level failure. */
export function isGatewayError(outcome: TryOutcome): boolean {
  if (outcome.failure !== undefined) return isUpstreamFault(outcome);
  return outcome.status === 502 || outcome.status === 503 || outcome.status === 504;
}

/**
 * Failures attributable to the endpoint (not to the breaker or the client). A timeout counts whichever
 * deadline expired — per try or the whole request — because the endpoint held the try past it: Envoy, too,
 * reports a local-origin timeout to outlier detection as a 504.
 */
function isUpstreamFault(outcome: TryOutcome): boolean {
  switch (outcome.failure) {
    case "connect-failure":
    case "reset":
    case "refused-stream":
      return true;
    case "timeout":
      return true;
    default:
      return false;
  }
}

/** The mesh error and Envoy response flag for a try that ended without a response. */
export function failureError(failure: UpstreamFailure): { code: ProxyErrorCode; flag: string } {
  switch (failure) {
    case "connect-failure":
      return { code: "upstream_unavailable", flag: "UF" };
    case "reset":
    case "refused-stream":
      return { code: "upstream_unavailable", flag: "UR" };
    case "timeout":
      return { code: "upstream_timeout", flag: "UT" };
    case "overflow":
      return { code: "circuit_open", flag: "UO" };
    case "cancelled":
      // The client is gone; the response is never seen, the flag goes to the access log.
      return { code: "upstream_unavailable", flag: "DC" };
  }
}
