// Trace headers for the upstream request: the caller's W3C/B3 headers replaced by ones whose parent is this hop's span.
import {
  ALL_PROPAGATION,
  TRACE_HEADER_NAMES,
  writeTraceHeaders,
  type TraceContext,
  type TracePropagation,
} from "../../../../shared/telemetry/index";

/**
 * Per request: drops every inbound trace header, then writes the formats of `propagation` (by default
 * `traceparent`/`tracestate` and B3, single and multi).
 */
export function propagateTrace(
  headers: Pick<Headers, "set" | "delete">,
  trace: TraceContext,
  propagation: TracePropagation = ALL_PROPAGATION,
): void {
  for (const name of TRACE_HEADER_NAMES) headers.delete(name);
  writeTraceHeaders(trace, headers, propagation);
}
