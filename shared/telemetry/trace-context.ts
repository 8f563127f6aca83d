// One proxy hop's trace context: continue the caller's trace (W3C first, then B3) or start one; sample parent-based.
import { charCodeScratch, charCodesToString, writeHex, writeHexByte } from "../hex";
import { parseB3Multi, parseB3Single, writeB3, type B3Context, type HeaderReader } from "./b3";
import {
  FLAG_RANDOM,
  FLAG_SAMPLED,
  formatTraceParent,
  formatTraceState,
  parseTraceParent,
  parseTraceState,
} from "./traceparent";

export type { HeaderReader } from "./b3";
/**
 * Random bytes, e.g. `(n) => crypto.getRandomValues(new Uint8Array(n))`; read at once, never kept (the proxy's pool
 * reuses the array it returns).
 */
export type RandomBytes = (length: number) => Uint8Array;

export interface TraceContext {
  traceId: string;
  /** This hop's span (new for every hop). */
  spanId: string;
  /** The caller's span, when the trace was continued. */
  parentSpanId?: string;
  sampled: boolean;
  /** W3C flags to propagate; the sampled bit always matches `sampled`. */
  flags: number;
  /** `tracestate` members passed through unchanged (W3C only). */
  tracestate?: string[];
  /** B3 debug flag: sample everywhere, whatever the rate. */
  debug: boolean;
  /** Which header the trace came from. */
  origin: "traceparent" | "b3" | "x-b3" | "new";
}

/** Every header this module reads or writes: the proxy removes them all before `injectHeaders`. */
export const TRACE_HEADER_NAMES = [
  "traceparent",
  "tracestate",
  "b3",
  "x-b3-traceid",
  "x-b3-spanid",
  "x-b3-parentspanid",
  "x-b3-sampled",
  "x-b3-flags",
] as const;

/**
 * The header formats a hop writes, named as OpenTelemetry names its propagators (`OTEL_PROPAGATORS`):
 * `tracecontext` (W3C `traceparent` + `tracestate`), `b3` (the single `b3` header), `b3multi` (`x-b3-*`).
 * Every format is always read; MeshConfig `tracing.propagation` chooses which are written (default: all three).
 */
export const TRACE_PROPAGATORS = ["tracecontext", "b3", "b3multi"] as const;
export type TracePropagator = (typeof TRACE_PROPAGATORS)[number];

/** A propagator list as flags, made once per config revision. */
export interface TracePropagation {
  readonly tracecontext: boolean;
  readonly b3: boolean;
  readonly b3multi: boolean;
}

export const ALL_PROPAGATION: TracePropagation = Object.freeze({ tracecontext: true, b3: true, b3multi: true });

/** `undefined` (not configured) means every format. */
export function tracePropagation(names: readonly TracePropagator[] | undefined): TracePropagation {
  if (names === undefined) return ALL_PROPAGATION;
  return {
    tracecontext: names.includes("tracecontext"),
    b3: names.includes("b3"),
    b3multi: names.includes("b3multi"),
  };
}

/**
 * A random id of `length` bytes that is never all zeros (invalid in W3C and B3): an all-zero draw ends in `01`.
 * Two per request: an index loop, with no copy of the bytes and no iterator or callback.
 */
export function randomId(randomBytes: RandomBytes, length: 8 | 16): string {
  const bytes = randomBytes(length);
  if (bytes.length < length) throw new RangeError(`randomBytes returned ${bytes.length} bytes, wanted ${length}`);
  const out = charCodeScratch(length * 2);
  let any = 0;
  for (let i = 0; i < length - 1; i++) any |= bytes[i]!;
  writeHex(out, 0, bytes, 0, length - 1);
  const last = bytes[length - 1]!;
  writeHexByte(out, 2 * (length - 1), any === 0 && last === 0 ? 1 : last);
  return charCodesToString(out);
}

/**
 * A number in [0, 1) read from the trace id's right-most 7 bytes (random per W3C Level 2), so every
 * hop and every sink makes the same sampling choice for one trace.
 */
export function traceRandom01(traceId: string): number {
  return Number.parseInt(traceId.slice(18, 32), 16) / 2 ** 56;
}

/** Parent-based sampling: the parent's decision when there is one, else `random01 < percent/100`. */
export function shouldSample(parentSampled: boolean | undefined, percent: number, random01: number): boolean {
  if (parentSampled !== undefined) return parentSampled;
  if (!(percent > 0)) return false;
  return percent >= 100 || random01 < percent / 100;
}

/**
 * Whether a sampled trace also goes to a sink with its own `samplingPercent`: a consistent subset
 * by trace id, so a sink at 10% gets whole traces, never single hops.
 */
export function sampledForSink(ctx: Pick<TraceContext, "traceId" | "sampled" | "debug">, percent: number): boolean {
  if (!ctx.sampled) return false;
  return ctx.debug || shouldSample(undefined, percent, traceRandom01(ctx.traceId));
}

function fromB3(b3: B3Context): { traceId: string; parentSpanId: string; sampled?: boolean; debug: boolean } | null {
  if (!b3.traceId || !b3.spanId) return null;
  return {
    traceId: b3.traceId,
    parentSpanId: b3.spanId,
    ...(b3.sampled !== undefined ? { sampled: b3.sampled } : {}),
    debug: b3.debug,
  };
}

/**
 * The context for this hop: the caller's trace (valid `traceparent`, else `b3`, else `x-b3-*`) with a
 * new span id, or a new trace. A caller's sampling decision is followed; otherwise `samplingPercent`
 * (default 100) decides, by trace id. A B3 header carrying only a decision starts a trace with it.
 * Per request.
 */
export function continueOrStart(
  headers: HeaderReader,
  randomBytes: RandomBytes,
  options: { samplingPercent?: number } = {},
): TraceContext {
  const percent = options.samplingPercent ?? 100;
  const spanId = randomId(randomBytes, 8);
  const tp = parseTraceParent(headers.get("traceparent"));
  if (tp) {
    const members = parseTraceState(headers.get("tracestate"));
    const sampled = (tp.flags & FLAG_SAMPLED) !== 0;
    return {
      traceId: tp.traceId,
      spanId,
      parentSpanId: tp.parentId,
      sampled,
      flags: (tp.flags & ~FLAG_SAMPLED) | (sampled ? FLAG_SAMPLED : 0),
      ...(members && members.length > 0 ? { tracestate: members } : {}),
      debug: false,
      origin: "traceparent",
    };
  }
  const single = parseB3Single(headers.get("b3"));
  const multi = single ? null : parseB3Multi(headers);
  const b3 = single ?? multi;
  const parent = b3 ? fromB3(b3) : null;
  if (parent) {
    const sampled = parent.debug || shouldSample(parent.sampled, percent, traceRandom01(parent.traceId));
    return {
      traceId: parent.traceId,
      spanId,
      parentSpanId: parent.parentSpanId,
      sampled,
      flags: sampled ? FLAG_SAMPLED : 0,
      debug: parent.debug,
      origin: single ? "b3" : "x-b3",
    };
  }
  const traceId = randomId(randomBytes, 16);
  const debug = b3?.debug ?? false;
  const sampled = debug || shouldSample(b3?.sampled, percent, traceRandom01(traceId));
  return { traceId, spanId, sampled, flags: FLAG_RANDOM | (sampled ? FLAG_SAMPLED : 0), debug, origin: "new" };
}

/** A child context, e.g. a CLIENT span per upstream attempt under this hop's SERVER span. */
export function childContext(ctx: TraceContext, randomBytes: RandomBytes): TraceContext {
  return { ...ctx, parentSpanId: ctx.spanId, spanId: randomId(randomBytes, 8) };
}

/**
 * Headers for the downstream request, whose parent is this hop's span: by default W3C `traceparent` (version
 * 00) and `tracestate`, plus B3 multi and single headers, so either kind of service continues the trace.
 */
export function injectHeaders(
  ctx: TraceContext,
  propagation: TracePropagation = ALL_PROPAGATION,
): Record<string, string> {
  const headers: Record<string, string> = {};
  writeTraceHeaders(ctx, { set: (name, value) => (headers[name] = value) }, propagation);
  return headers;
}

/**
 * `injectHeaders` written straight into a header collection (the proxy's, once per request): no intermediate
 * objects. Only sets; the caller removes the inbound trace headers first (`TRACE_HEADER_NAMES`).
 */
export function writeTraceHeaders(
  ctx: TraceContext,
  headers: { set(name: string, value: string): void },
  propagation: TracePropagation = ALL_PROPAGATION,
): void {
  if (propagation.tracecontext) {
    headers.set("traceparent", formatTraceParent({ traceId: ctx.traceId, parentId: ctx.spanId, flags: ctx.flags }));
    const state = ctx.tracestate ? formatTraceState(ctx.tracestate) : null;
    if (state) headers.set("tracestate", state);
  }
  writeB3(ctx, headers, propagation.b3, propagation.b3multi);
}
