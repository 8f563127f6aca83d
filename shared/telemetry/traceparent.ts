// W3C Trace Context: the `traceparent` and `tracestate` headers (parse, validate, format, limits).

export interface TraceParent {
  traceId: string;
  /** The caller's span id (`parent-id` in the spec). */
  parentId: string;
  /** Trace flags; only bits this version defines are kept (see `KNOWN_FLAGS`). */
  flags: number;
}

export const FLAG_SAMPLED = 0x01;
/** Trace Context Level 2: the trace id's right-most 7 bytes are random. */
export const FLAG_RANDOM = 0x02;
/** Other bits are reserved; the spec says to send them as zero. */
const KNOWN_FLAGS = FLAG_SAMPLED | FLAG_RANDOM;

const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_16 = /^[0-9a-f]{16}$/;
const HEX_2 = /^[0-9a-f]{2}$/;

export function isValidTraceId(id: string): boolean {
  return HEX_32.test(id) && id !== "0".repeat(32);
}
export function isValidSpanId(id: string): boolean {
  return HEX_16.test(id) && id !== "0".repeat(16);
}

/**
 * Parses `traceparent`. Version 00 must be exactly 55 characters; a higher version is read through its
 * first four fields when the 56th character is absent or `-` (the spec's forward-compatibility rule).
 * Version `ff`, upper-case hex and all-zero ids are invalid: the caller then starts a new trace.
 */
export function parseTraceParent(value: string | null | undefined): TraceParent | null {
  if (typeof value !== "string") return null;
  const version = value.slice(0, 2);
  if (!HEX_2.test(version) || version === "ff" || value[2] !== "-") return null;
  if (version === "00" ? value.length !== 55 : value.length < 55 || (value.length > 55 && value[55] !== "-"))
    return null;
  const traceId = value.slice(3, 35);
  const parentId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (value[35] !== "-" || value[52] !== "-") return null;
  if (!isValidTraceId(traceId) || !isValidSpanId(parentId) || !HEX_2.test(flags)) return null;
  return { traceId, parentId, flags: Number.parseInt(flags, 16) & KNOWN_FLAGS };
}

/** Always version 00, the highest this implementation knows (spec: downgrade on propagation). */
export function formatTraceParent(tp: TraceParent): string {
  return `00-${tp.traceId}-${tp.parentId}-${(tp.flags & KNOWN_FLAGS).toString(16).padStart(2, "0")}`;
}

export const TRACESTATE_MAX_MEMBERS = 32;
export const TRACESTATE_MAX_LENGTH = 512;
/** Members longer than this go first when the header must be cut (spec's truncation order). */
const TRACESTATE_LONG_MEMBER = 128;
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * Parses `tracestate` (several header lines arrive joined by `,`) into its members, in order.
 * Empty members are skipped; an invalid member, a duplicate key or more than 32 members make the
 * whole header invalid (null): it is then not propagated, as the W3C test suite expects.
 */
export function parseTraceState(value: string | null | undefined): string[] | null {
  if (typeof value !== "string") return null;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of value.split(",")) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (member === "") continue;
    const eq = member.indexOf("=");
    if (eq <= 0) return null;
    const key = member.slice(0, eq);
    if (!KEY.test(key) || !VALUE.test(member.slice(eq + 1)) || keys.has(key)) return null;
    keys.add(key);
    members.push(member);
  }
  return members.length > TRACESTATE_MAX_MEMBERS ? null : members;
}

/**
 * Formats members for propagation within 512 characters: when too long, whole members are removed,
 * those over 128 characters first, then from the end (the spec's truncation rule). Empty → null.
 */
export function formatTraceState(members: readonly string[]): string | null {
  let kept = members.slice(0, TRACESTATE_MAX_MEMBERS);
  const length = (list: readonly string[]) => list.join(",").length;
  while (length(kept) > TRACESTATE_MAX_LENGTH) {
    let longIndex = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (kept[i]!.length > TRACESTATE_LONG_MEMBER) {
        longIndex = i;
        break;
      }
    }
    kept = longIndex >= 0 ? kept.filter((_, i) => i !== longIndex) : kept.slice(0, -1);
  }
  return kept.length === 0 ? null : kept.join(",");
}
