// Trace headers for the upstream request: the caller's W3C/B3 headers replaced by ones whose parent is this hop's span.
import { TRACE_HEADER_NAMES, writeTraceHeaders, type TraceContext } from "../../../../shared/telemetry/index";

/** Per request: drops every inbound trace header, then writes `traceparent`/`tracestate` and B3 (single and multi). */
export function propagateTrace(headers: Pick<Headers, "set" | "delete">, trace: TraceContext): void {
  for (const name of TRACE_HEADER_NAMES) headers.delete(name);
  writeTraceHeaders(trace, headers);
}
