// W3C Trace Context: propagate a valid `traceparent` as-is; otherwise start a trace (joining a B3 one if present).

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export function isValidTraceparent(value: string): boolean {
  const m = TRACEPARENT.exec(value);
  if (m === null) return false;
  const [, version, traceId, spanId] = m;
  // Version ff is invalid; version 00 allows nothing after the flags.
  if (version === "ff" || (version === "00" && m[5] !== undefined)) return false;
  return traceId !== ZERO_TRACE && spanId !== ZERO_SPAN;
}

/** Makes sure `headers` carries a valid traceparent. B3 headers are left untouched (propagated as-is). */
export function ensureTraceparent(headers: Pick<Headers, "get" | "set" | "delete">): void {
  const inbound = headers.get("traceparent");
  if (inbound !== null && isValidTraceparent(inbound.trim())) return;
  // An invalid traceparent invalidates tracestate too (W3C Trace Context §3.3): restart the trace.
  headers.delete("tracestate");
  headers.set("traceparent", fromB3(headers) ?? `00-${randomHex(16)}-${randomHex(8)}-01`);
}

/** Joins an existing B3 trace (`x-b3-traceid`, 64 or 128 bit) so both formats describe one trace. */
function fromB3(headers: Pick<Headers, "get">): string | null {
  const traceId = headers.get("x-b3-traceid")?.toLowerCase();
  const spanId = headers.get("x-b3-spanid")?.toLowerCase();
  if (!traceId || !spanId || !/^([0-9a-f]{16}|[0-9a-f]{32})$/.test(traceId) || !/^[0-9a-f]{16}$/.test(spanId))
    return null;
  const full = traceId.padStart(32, "0");
  if (full === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  const sampled = headers.get("x-b3-sampled") === "0" ? "00" : "01";
  return `00-${full}-${spanId}-${sampled}`;
}

function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const b of buf) hex += b.toString(16).padStart(2, "0");
  // All-zero ids are invalid; astronomically unlikely, but cheap to rule out.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}
