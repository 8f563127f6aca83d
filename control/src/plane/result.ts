// The Result shape ControlPlane RPC methods return: typed errors cross the RPC boundary as data, not exceptions.
import type { ErrorDetail, MeshErrorCode } from "../../../shared/errors";
import { MeshError } from "../../../shared/errors";

export interface PlaneError {
  code: MeshErrorCode;
  message: string;
  status: number;
  details: ErrorDetail[];
}

export type PlaneResult<T> = { ok: true; value: T } | { ok: false; error: PlaneError };

export function ok<T>(value: T): PlaneResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: MeshErrorCode,
  message: string,
  options: { status?: number; details?: ErrorDetail[] } = {},
): PlaneResult<T> {
  const err = new MeshError(code, message, options);
  return { ok: false, error: { code, message, status: err.status, details: err.details } };
}

/** Returns the value, or rethrows the error as a MeshError on the caller's side of the RPC boundary. */
export function unwrap<T>(result: PlaneResult<T>): T {
  if (result.ok) return result.value;
  const { code, message, status, details } = result.error;
  throw new MeshError(code, message, { status, details });
}

/** A MeshError thrown by shared code, as a failed Result. */
export function fromMeshError(err: MeshError): PlaneResult<never> {
  return { ok: false, error: { code: err.code, message: err.message, status: err.status, details: err.details } };
}
