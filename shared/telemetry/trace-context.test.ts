import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseB3Multi, parseB3Single } from "./b3";
import {
  childContext,
  continueOrStart,
  injectHeaders,
  randomId,
  sampledForSink,
  shouldSample,
  traceRandom01,
  tracePropagation,
  type TracePropagator,
} from "./trace-context";
import { formatTraceParent, formatTraceState, parseTraceParent, parseTraceState } from "./traceparent";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";
const S = "00f067aa0ba902b7";

function headers(map: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower[name.toLowerCase()] ?? null };
}

/** Deterministic "random" bytes: 0x11, 0x12, ... */
function counterBytes(start = 0x11) {
  let next = start;
  return (n: number) => Uint8Array.from({ length: n }, () => next++ & 0xff);
}

describe("parseTraceParent", () => {
  it.each<[string, string, { traceId: string; parentId: string; flags: number } | null]>([
    ["sampled v00", `00-${T}-${S}-01`, { traceId: T, parentId: S, flags: 1 }],
    ["unsampled v00", `00-${T}-${S}-00`, { traceId: T, parentId: S, flags: 0 }],
    ["reserved flag bits cleared", `00-${T}-${S}-ff`, { traceId: T, parentId: S, flags: 3 }],
    ["a future version, longer", `cc-${T}-${S}-01-what-the-future-holds`, { traceId: T, parentId: S, flags: 1 }],
    ["a future version, exact length", `01-${T}-${S}-09`, { traceId: T, parentId: S, flags: 1 }],
    ["version ff", `ff-${T}-${S}-01`, null],
    ["v00 with trailing data", `00-${T}-${S}-01-extra`, null],
    ["a future version without the dash", `cc-${T}-${S}-01.what`, null],
    ["a future version too short", `cc-${T}-${S}-0`, null],
    ["upper-case hex", `00-${T.toUpperCase()}-${S}-01`, null],
    ["all-zero trace id", `00-${"0".repeat(32)}-${S}-01`, null],
    ["all-zero parent id", `00-${T}-${"0".repeat(16)}-01`, null],
    ["a short trace id", `00-${T.slice(1)}-${S}-01`, null],
    ["a bad version", `0x-${T}-${S}-01`, null],
    ["bad flags", `00-${T}-${S}-0g`, null],
    ["two joined headers", `00-${T}-${S}-01, 00-${T}-${S}-01`, null],
    ["wrong delimiters", `00_${T}_${S}_01`, null],
    ["empty", "", null],
  ])("%s", (_name, value, expected) => {
    expect(parseTraceParent(value)).toEqual(expected);
  });

  it("formats version 00 whatever version came in", () => {
    const tp = parseTraceParent(`cc-${T}-${S}-01-future`)!;
    expect(formatTraceParent(tp)).toBe(`00-${T}-${S}-01`);
  });
});

describe("tracestate", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v${i}`).join(",");
  it.each<[string, string, string[] | null]>([
    ["two members", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", ["rojo=00f067aa0ba902b7", "congo=t61rcWkgMzE"]],
    ["OWS and empty members", " rojo=1 ,\t, congo=2 ,", ["rojo=1", "congo=2"]],
    ["multi-tenant keys", "fw529a3039@dt=abc,a*b/c_d-e=1", ["fw529a3039@dt=abc", "a*b/c_d-e=1"]],
    ["a value with inner spaces", "k=a b", ["k=a b"]],
    ["32 members", many(32), many(32).split(",")],
    ["33 members", many(33), null],
    ["a duplicate key", "a=1,a=2", null],
    ["an upper-case key", "Rojo=1", null],
    ["a value with =", "k=a=b", null],
    ["a member without =", "rojo", null],
    ["an empty value", "k=", null],
    ["a key starting with _", "_k=1", null],
    ["an empty header", "", []],
  ])("%s", (_name, value, expected) => {
    expect(parseTraceState(value)).toEqual(expected);
  });

  it("truncates to 512 characters: long members first, then from the end", () => {
    const long = `big=${"x".repeat(200)}`;
    const members = ["a=1", long, ...Array.from({ length: 20 }, (_, i) => `m${i}=${"y".repeat(20)}`)];
    const out = formatTraceState(members)!;
    expect(out.length).toBeLessThanOrEqual(512);
    expect(out).not.toContain("big=");
    expect(out.startsWith("a=1,m0=")).toBe(true);
    const short = Array.from({ length: 30 }, (_, i) => `m${i}=${"y".repeat(20)}`);
    const cut = formatTraceState(short)!.split(",");
    expect(cut.join(",").length).toBeLessThanOrEqual(512);
    expect(cut).toEqual(short.slice(0, cut.length));
  });

  it("propagates nothing for an empty list", () => {
    expect(formatTraceState([])).toBeNull();
  });
});

describe("B3", () => {
  it.each<[string, Record<string, string>, object | null]>([
    [
      "128-bit ids",
      { "X-B3-TraceId": T, "X-B3-SpanId": S, "X-B3-Sampled": "1" },
      { traceId: T, spanId: S, sampled: true, debug: false },
    ],
    [
      "64-bit trace id, padded",
      { "x-b3-traceid": "a3ce929d0e0e4736", "x-b3-spanid": S, "x-b3-parentspanid": "05e3ac9a4f6e3b90" },
      { traceId: "0000000000000000a3ce929d0e0e4736", spanId: S, parentSpanId: "05e3ac9a4f6e3b90", debug: false },
    ],
    [
      "debug implies sampled",
      { "x-b3-traceid": T, "x-b3-spanid": S, "x-b3-flags": "1" },
      { traceId: T, spanId: S, sampled: true, debug: true },
    ],
    [
      "legacy true",
      { "x-b3-traceid": T, "x-b3-spanid": S, "x-b3-sampled": "true" },
      { traceId: T, spanId: S, sampled: true, debug: false },
    ],
    ["a decision alone", { "x-b3-sampled": "0" }, { sampled: false, debug: false }],
    ["no headers", {}, null],
    ["a bad sampled value", { "x-b3-traceid": T, "x-b3-spanid": S, "x-b3-sampled": "yes" }, null],
    ["a trace id without span id", { "x-b3-traceid": T }, null],
    ["a 20-hex trace id", { "x-b3-traceid": "a".repeat(20), "x-b3-spanid": S }, null],
    ["upper-case hex", { "x-b3-traceid": T.toUpperCase(), "x-b3-spanid": S }, null],
    ["an all-zero span id", { "x-b3-traceid": T, "x-b3-spanid": "0".repeat(16) }, null],
    ["a bad parent id", { "x-b3-traceid": T, "x-b3-spanid": S, "x-b3-parentspanid": "xyz" }, null],
  ])("multi-header: %s", (_name, map, expected) => {
    expect(parseB3Multi(headers(map))).toEqual(expected);
  });

  it.each<[string, string, object | null]>([
    ["ids only (deferred)", `${T}-${S}`, { traceId: T, spanId: S, debug: false }],
    ["sampled", `${T}-${S}-1`, { traceId: T, spanId: S, sampled: true, debug: false }],
    [
      "debug with parent",
      `${T}-${S}-d-05e3ac9a4f6e3b90`,
      { traceId: T, spanId: S, parentSpanId: "05e3ac9a4f6e3b90", sampled: true, debug: true },
    ],
    [
      "64-bit",
      `a3ce929d0e0e4736-${S}-0`,
      { traceId: "0000000000000000a3ce929d0e0e4736", spanId: S, sampled: false, debug: false },
    ],
    ["deny only", "0", { sampled: false, debug: false }],
    ["debug only", "d", { sampled: true, debug: true }],
    ["a bad state", `${T}-${S}-x`, null],
    ["a parent without state", `${T}-${S}--05e3ac9a4f6e3b90`, null],
    ["too many fields", `${T}-${S}-1-05e3ac9a4f6e3b90-1`, null],
    ["garbage", "hello", null],
  ])("single header: %s", (_name, value, expected) => {
    expect(parseB3Single(value)).toEqual(expected);
  });
});

describe("shouldSample", () => {
  it.each<[boolean | undefined, number, number, boolean]>([
    [true, 0, 0.99, true],
    [false, 100, 0, false],
    [undefined, 100, 0.999, true],
    [undefined, 0, 0, false],
    [undefined, 25, 0.2499, true],
    [undefined, 25, 0.25, false],
    [undefined, 0.1, 0.0009, true],
  ])("parent %s, %s%%, random %s → %s", (parent, percent, r, expected) => {
    expect(shouldSample(parent, percent, r)).toBe(expected);
  });

  it("reads the trace id's random part as a fraction", () => {
    expect(traceRandom01(`${"f".repeat(18)}00000000000000`)).toBe(0);
    expect(traceRandom01(`${"0".repeat(18)}80000000000000`)).toBe(0.5);
  });

  it("gives a sink whole traces: the same choice at every hop", () => {
    const ctx = { traceId: `${"1".repeat(18)}40000000000000`, sampled: true, debug: false }; // random01 = 0.25
    expect(sampledForSink(ctx, 30)).toBe(true);
    expect(sampledForSink(ctx, 20)).toBe(false);
    expect(sampledForSink({ ...ctx, sampled: false }, 100)).toBe(false);
    expect(sampledForSink({ ...ctx, debug: true }, 0)).toBe(true);
  });
});

describe("continueOrStart", () => {
  it("continues a W3C trace with a new span and passes tracestate through", () => {
    const ctx = continueOrStart(
      headers({ traceparent: `00-${T}-${S}-01`, tracestate: "rojo=1,congo=2" }),
      counterBytes(),
    );
    expect(ctx).toEqual({
      traceId: T,
      spanId: "1112131415161718",
      parentSpanId: S,
      sampled: true,
      flags: 1,
      tracestate: ["rojo=1", "congo=2"],
      debug: false,
      origin: "traceparent",
    });
  });

  it("follows an unsampled parent even at 100%", () => {
    expect(continueOrStart(headers({ traceparent: `00-${T}-${S}-00` }), counterBytes()).sampled).toBe(false);
  });

  it("drops an invalid tracestate but keeps the trace", () => {
    const ctx = continueOrStart(headers({ traceparent: `00-${T}-${S}-01`, tracestate: "a=1,a=2" }), counterBytes());
    expect(ctx.traceId).toBe(T);
    expect(ctx.tracestate).toBeUndefined();
  });

  it("restarts on an invalid traceparent and ignores its tracestate", () => {
    const ctx = continueOrStart(headers({ traceparent: `00-${T}-${S}-0`, tracestate: "rojo=1" }), counterBytes());
    expect(ctx.origin).toBe("new");
    expect(ctx.traceId).not.toBe(T);
    expect(ctx.tracestate).toBeUndefined();
  });

  it("prefers traceparent over B3, then single b3 over x-b3", () => {
    const other = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const both = continueOrStart(headers({ traceparent: `00-${T}-${S}-01`, b3: `${other}-${S}-1` }), counterBytes());
    expect(both.traceId).toBe(T);
    const b3 = continueOrStart(headers({ b3: `${other}-${S}-1`, "x-b3-traceid": T, "x-b3-spanid": S }), counterBytes());
    expect(b3).toMatchObject({ traceId: other, parentSpanId: S, origin: "b3" });
    const multi = continueOrStart(
      headers({ "x-b3-traceid": T, "x-b3-spanid": S, "x-b3-sampled": "0" }),
      counterBytes(),
    );
    expect(multi).toMatchObject({ traceId: T, parentSpanId: S, sampled: false, flags: 0, origin: "x-b3" });
  });

  it("decides by rate when the B3 caller deferred", () => {
    const low = continueOrStart(headers({ b3: `${"0".repeat(18)}01000000000000-${S}` }), counterBytes(), {
      samplingPercent: 1,
    });
    const high = continueOrStart(headers({ b3: `${"0".repeat(18)}f0000000000000-${S}` }), counterBytes(), {
      samplingPercent: 1,
    });
    expect([low.sampled, high.sampled]).toEqual([true, false]);
  });

  it("starts a trace with random ids, the random flag, and a B3-only decision", () => {
    const fresh = continueOrStart(headers({}), counterBytes());
    expect(fresh).toEqual({
      traceId: "191a1b1c1d1e1f202122232425262728",
      spanId: "1112131415161718",
      sampled: true,
      flags: 3,
      debug: false,
      origin: "new",
    });
    const denied = continueOrStart(headers({ b3: "0" }), counterBytes());
    expect(denied).toMatchObject({ origin: "new", sampled: false, flags: 2 });
    const unsampled = continueOrStart(headers({}), counterBytes(), { samplingPercent: 0 });
    expect(unsampled.sampled).toBe(false);
  });

  it("never produces an all-zero id", () => {
    expect(randomId((n) => new Uint8Array(n), 16)).toBe(`${"0".repeat(31)}1`);
    expect(() => randomId(() => new Uint8Array(2), 8)).toThrow(RangeError);
  });

  it("is the hex of the first `length` bytes drawn (lower case, two digits a byte)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 24 }), fc.constantFrom(8 as const, 16 as const), (b, n) => {
        const expected = Buffer.from(b.subarray(0, n)).toString("hex");
        const id = randomId(() => b, n);
        expect(id).toBe(/^0+$/.test(expected) ? `${expected.slice(0, -1)}1` : expected);
      }),
    );
  });
});

describe("injectHeaders", () => {
  it("writes W3C and B3 for the downstream, with this hop's span as parent", () => {
    const ctx = continueOrStart(headers({ traceparent: `00-${T}-${S}-01`, tracestate: "rojo=1" }), counterBytes());
    expect(injectHeaders(ctx)).toEqual({
      traceparent: `00-${T}-1112131415161718-01`,
      tracestate: "rojo=1",
      "x-b3-traceid": T,
      "x-b3-spanid": "1112131415161718",
      "x-b3-parentspanid": S,
      "x-b3-sampled": "1",
      b3: `${T}-1112131415161718-1-${S}`,
    });
  });

  it("round-trips through the next hop's parser", () => {
    const first = continueOrStart(headers({}), counterBytes(), { samplingPercent: 0 });
    const next = continueOrStart(headers(injectHeaders(first)), counterBytes(0x80));
    expect(next).toMatchObject({ traceId: first.traceId, parentSpanId: first.spanId, sampled: false, flags: 2 });
    const child = childContext(first, counterBytes(0x40));
    expect(child).toMatchObject({ traceId: first.traceId, parentSpanId: first.spanId, spanId: "4041424344454647" });
  });

  it("writes only the formats MeshConfig tracing.propagation names", () => {
    const ctx = continueOrStart(headers({ traceparent: `00-${T}-${S}-01`, tracestate: "rojo=1" }), counterBytes());
    const all = injectHeaders(ctx);
    const only = (names: TracePropagator[]) => Object.keys(injectHeaders(ctx, tracePropagation(names))).sort();
    expect(only(["tracecontext"])).toEqual(["traceparent", "tracestate"]);
    expect(only(["b3"])).toEqual(["b3"]);
    expect(only(["b3multi"])).toEqual(["x-b3-parentspanid", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid"]);
    expect(only(["b3", "tracecontext"])).toEqual(["b3", "traceparent", "tracestate"]);
    // Unset means every format; each format's values are the same whichever others are written.
    expect(injectHeaders(ctx, tracePropagation(undefined))).toEqual(all);
    expect(injectHeaders(ctx, tracePropagation(["b3multi", "b3", "tracecontext"]))).toEqual(all);
    expect(injectHeaders(ctx, tracePropagation(["b3"]))).toEqual({ b3: all.b3 });
  });

  it("sends x-b3-flags instead of x-b3-sampled for debug", () => {
    const ctx = continueOrStart(headers({ b3: `${T}-${S}-d` }), counterBytes());
    const out = injectHeaders(ctx);
    expect(out["x-b3-flags"]).toBe("1");
    expect(out["x-b3-sampled"]).toBeUndefined();
    expect(out.b3).toBe(`${T}-1112131415161718-d-${S}`);
  });
});
