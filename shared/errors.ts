// The closed set of errors the mesh itself produces, and their wire shape (contract §5.3).

/** Codes produced by the control API. */
export type ControlErrorCode =
  | "bad_request"
  | "invalid_resource"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "internal";

/** Codes produced by a proxy; each is also sent as the `x-mesh-error` header. */
export type ProxyErrorCode =
  | "service_not_found"
  | "no_route"
  | "unauthenticated"
  | "forbidden"
  | "rate_limited"
  | "no_healthy_upstream"
  | "circuit_open"
  | "upstream_unavailable"
  | "upstream_timeout"
  | "fault_injected"
  | "no_config"
  | "payload_too_large"
  | "misconfigured";

export type MeshErrorCode = ControlErrorCode | ProxyErrorCode;

/** One problem inside an error, e.g. one invalid field of one document. */
export interface ErrorDetail {
  /** The document: `Kind/name` when known, else `#<index>` (0-based, in request order). */
  document?: string;
  /** Dotted/indexed field path inside the document, e.g. `spec.rules[0].backendRefs[1].weight`. */
  path?: string;
  message: string;
}

export interface ErrorBody {
  error: { code: MeshErrorCode; message: string; details: ErrorDetail[] };
}

/** The HTTP status each code answers with, unless the thrower overrides it (`conflict`, `fault_injected`). */
export const DEFAULT_STATUS: Record<MeshErrorCode, number> = {
  bad_request: 400,
  invalid_resource: 400,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  internal: 500,
  service_not_found: 404,
  no_route: 404,
  unauthenticated: 401,
  rate_limited: 429,
  no_healthy_upstream: 503,
  circuit_open: 503,
  upstream_unavailable: 502,
  upstream_timeout: 504,
  fault_injected: 500,
  no_config: 503,
  misconfigured: 500,
};

/** A typed error carrying a stable code; `toErrorBody` turns it into the wire shape. */
export class MeshError extends Error {
  readonly code: MeshErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers: Record<string, string>;

  constructor(
    code: MeshErrorCode,
    message: string,
    options: { status?: number; details?: ErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "MeshError";
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code];
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }
}

export function toErrorBody(err: MeshError): ErrorBody {
  return { error: { code: err.code, message: err.message, details: err.details } };
}

export function isMeshError(value: unknown): value is MeshError {
  return value instanceof MeshError;
}
