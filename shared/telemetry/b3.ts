// B3 propagation (Zipkin): the multi-header `x-b3-*` form and the single `b3` header.

/** What a B3 header set says; ids are normalised to W3C widths (a 64-bit trace id is left-padded). */
export interface B3Context {
  /** Absent for a sampling-decision-only header (`b3: 0`, or `x-b3-sampled` alone). */
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  /** undefined = the caller deferred the decision. */
  sampled?: boolean;
  debug: boolean;
}

/** The subset of `Headers` this module reads (keeps shared/ free of DOM types). */
export interface HeaderReader {
  get(name: string): string | null;
}

const TRACE_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function traceId(text: string): string | undefined {
  if (!TRACE_ID.test(text) || /^0+$/.test(text)) return undefined;
  return text.padStart(32, "0");
}
function spanId(text: string): string | undefined {
  return SPAN_ID.test(text) && !/^0+$/.test(text) ? text : undefined;
}

/** `x-b3-sampled`: "1"/"0", and the legacy "true"/"false" some clients still send. */
function sampledFlag(text: string | null): boolean | undefined | null {
  if (text === null) return undefined;
  if (text === "1" || text === "true") return true;
  if (text === "0" || text === "false") return false;
  return null; // invalid
}

/** Reads the multi-header form; null when absent or invalid. */
export function parseB3Multi(headers: HeaderReader): B3Context | null {
  const rawTrace = headers.get("x-b3-traceid");
  const rawSpan = headers.get("x-b3-spanid");
  const rawParent = headers.get("x-b3-parentspanid");
  const sampled = sampledFlag(headers.get("x-b3-sampled"));
  const debug = headers.get("x-b3-flags") === "1";
  if (sampled === null) return null;
  if (rawTrace === null && rawSpan === null) {
    // A decision without ids is valid B3: "start a trace, and sample it (or not)".
    if (sampled === undefined && !debug) return null;
    return { sampled: debug ? true : sampled, debug };
  }
  const t = rawTrace === null ? undefined : traceId(rawTrace);
  const s = rawSpan === null ? undefined : spanId(rawSpan);
  const p = rawParent === null ? undefined : spanId(rawParent);
  if (!t || !s || (rawParent !== null && !p)) return null;
  return { traceId: t, spanId: s, ...(p ? { parentSpanId: p } : {}), sampled: debug ? true : sampled, debug };
}

/** Reads `b3: {traceId}-{spanId}[-{sampling}[-{parentSpanId}]]` or `b3: {sampling}`; null when absent or invalid. */
export function parseB3Single(value: string | null | undefined): B3Context | null {
  if (typeof value !== "string" || value === "") return null;
  const parts = value.split("-");
  const sampling = (state: string | undefined): { sampled?: boolean; debug: boolean } | null => {
    if (state === undefined) return { debug: false };
    if (state === "1") return { sampled: true, debug: false };
    if (state === "0") return { sampled: false, debug: false };
    if (state === "d") return { sampled: true, debug: true };
    return null;
  };
  if (parts.length === 1) {
    const decision = sampling(parts[0]);
    return decision && decision.sampled !== undefined ? decision : null;
  }
  if (parts.length > 4) return null;
  const [rawTrace = "", rawSpan = "", state, rawParent] = parts;
  const t = traceId(rawTrace);
  const s = spanId(rawSpan);
  const decision = sampling(state);
  const p = rawParent === undefined ? undefined : spanId(rawParent);
  if (!t || !s || !decision || (rawParent !== undefined && !p)) return null;
  return { traceId: t, spanId: s, ...(p ? { parentSpanId: p } : {}), ...decision };
}

/** B3 headers for a downstream request whose caller span is `spanId`. Multi-header plus single `b3`. */
export function formatB3(ctx: {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  sampled: boolean;
  debug?: boolean;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  writeB3(ctx, { set: (name, value) => (headers[name] = value) });
  return headers;
}

/** `formatB3` written straight into a header collection: the single `b3` header and/or the `x-b3-*` ones. */
export function writeB3(
  ctx: { traceId: string; spanId: string; parentSpanId?: string; sampled: boolean; debug?: boolean },
  headers: { set(name: string, value: string): void },
  single = true,
  multi = true,
): void {
  if (multi) {
    headers.set("x-b3-traceid", ctx.traceId);
    headers.set("x-b3-spanid", ctx.spanId);
    if (ctx.parentSpanId) headers.set("x-b3-parentspanid", ctx.parentSpanId);
    // Debug implies sampled, and B3 says not to send both.
    if (ctx.debug) headers.set("x-b3-flags", "1");
    else headers.set("x-b3-sampled", ctx.sampled ? "1" : "0");
  }
  if (single) {
    const state = ctx.debug ? "d" : ctx.sampled ? "1" : "0";
    headers.set("b3", `${ctx.traceId}-${ctx.spanId}-${state}${ctx.parentSpanId ? `-${ctx.parentSpanId}` : ""}`);
  }
}
