import { describe, expect, it } from "vitest";
import { buildAccessLog } from "./access-log";
import {
  accessLogToSyslog,
  encodeSyslogBatch,
  escapeParamValue,
  formatSyslog,
  frameOctetCounting,
  syslogSeverity,
} from "./syslog";

/**
 * RFC 5424 §6 ABNF as a regular expression: PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP
 * PROCID SP MSGID SP STRUCTURED-DATA [SP MSG], with each header field's length and charset.
 */
const SD_NAME = `[\\x21\\x23-\\x3c\\x3e-\\x5c\\x5e-\\x7e]{1,32}`; // printable, but no '"', '=', ']' or SP
const PARAM = `${SD_NAME}="(?:[^"\\\\\\]]|\\\\["\\\\\\]])*"`;
const SD = `(?:-|(?:\\[${SD_NAME}(?: ${PARAM})*\\])+)`;
const TIMESTAMP = `(?:-|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?:Z|[+-]\\d{2}:\\d{2}))`;
const RFC5424 = new RegExp(
  `^<(\\d{1,3})>1 ${TIMESTAMP} ([\\x21-\\x7e]{1,255}) ([\\x21-\\x7e]{1,48}) ([\\x21-\\x7e]{1,128}) ([\\x21-\\x7e]{1,32}) (${SD})(?: (.*))?$`,
  "s",
);

/** Splits an RFC 6587 octet-counted stream back into messages, checking every length. */
function unframe(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    let len = "";
    while (bytes[at] !== 0x20) {
      const c = bytes[at++];
      if (c === undefined || c < 0x30 || c > 0x39) throw new Error("bad MSG-LEN");
      len += String.fromCharCode(c);
    }
    if (len === "" || len.startsWith("0")) throw new Error("bad MSG-LEN");
    at += 1;
    const end = at + Number(len);
    if (end > bytes.length) throw new Error("frame runs past the end");
    out.push(new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(at, end)));
    at = end;
  }
  return out;
}

const entry = buildAccessLog({
  startMs: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
  durationMs: 3,
  requestId: "r1",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "1112131415161718",
  source: { service: "productpage", namespace: "default" },
  destination: { service: "reviews", namespace: "default", version: "v2" },
  method: "GET",
  authority: "reviews.localhost",
  path: "/reviews/0?q=ünïcode",
  protocol: "HTTP/1.1",
  status: 503,
  attempts: 2,
  flags: ["URX"],
});

describe("formatSyslog", () => {
  it("writes an RFC 5424 access log line: local0, severity from the level, JSON as MSG", () => {
    const line = accessLogToSyslog(entry, { hostname: "proxy-1" });
    expect(line).toBe(`<131>1 2025-01-02T03:04:05.678Z proxy-1 flaremesh - access - ${JSON.stringify(entry)}`);
    const m = RFC5424.exec(line)!;
    expect(m).not.toBeNull();
    expect(JSON.parse(m[7]!)).toEqual(entry);
  });

  it.each([
    ["facility/severity", { severity: 6, msg: "x" }, { facility: 0 }, /^<6>1 /],
    ["facility 23, severity 7", { severity: 7, msg: "x" }, { facility: 23 }, /^<191>1 /],
    ["out-of-range values clamp", { severity: 99, msg: "x" }, { facility: 99 }, /^<191>1 /],
    ["no timestamp → NILVALUE", { severity: 6, msg: "x" }, {}, /^<134>1 - - flaremesh - - - x$/],
    [
      "spaces and controls in header fields",
      { severity: 6, msg: "x" },
      { hostname: "my host\n", appName: "a".repeat(60) },
      new RegExp(`^<134>1 - my_host_ ${"a".repeat(48)} - - - x$`),
    ],
    ["an empty MSG is left out", { severity: 6, msg: "" }, {}, /^<134>1 - - flaremesh - - -$/],
  ])("%s", (_name, message, options, pattern) => {
    const line = formatSyslog(message, options);
    expect(line).toMatch(pattern);
    expect(line).toMatch(RFC5424);
  });

  it("escapes structured data values and sanitises names", () => {
    const line = formatSyslog({
      severity: 6,
      msg: "m",
      structuredData: [{ id: "mesh@32473", params: { "bad name=": 'a"b\\c]d', ok: "ü" } }],
    });
    expect(line).toBe('<134>1 - - flaremesh - - [mesh@32473 bad_name_="a\\"b\\\\c\\]d" ok="ü"] m');
    expect(line).toMatch(RFC5424);
    expect(escapeParamValue('"]\\')).toBe('\\"\\]\\\\');
  });

  it("adds mesh structured data on request", () => {
    const line = accessLogToSyslog(entry, { structuredData: true });
    expect(line).toContain(
      '[mesh@32473 trace_id="4bf92f3577b34da6a3ce929d0e0e4736" status="503" response_flags="URX"]',
    );
    expect(line).toMatch(RFC5424);
  });

  it("marks UTF-8 with a BOM only when asked, and cuts long messages on a character boundary", () => {
    expect(formatSyslog({ severity: 6, msg: "x" }, { bom: true })).toBe("<134>1 - - flaremesh - - - \uFEFFx");
    const cut = formatSyslog({ severity: 6, msg: "é".repeat(100) }, { maxMessageBytes: 40 });
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(40);
    expect(cut).toMatch(/ - é+$/);
  });

  it.each([
    ["info", 6],
    ["warn", 4],
    ["error", 3],
  ] as const)("level %s is severity %i", (level, severity) => {
    expect(syslogSeverity(level)).toBe(severity);
  });
});

describe("octet counting (RFC 6587)", () => {
  it("prefixes the UTF-8 byte length, not the character count", () => {
    expect(new TextDecoder().decode(frameOctetCounting("héllo"))).toBe("6 héllo");
  });

  it("frames a batch that a receiver can split exactly", () => {
    const other = { ...entry, request_id: "r2", level: "info" as const, status: 200 };
    const messages = unframe(encodeSyslogBatch([entry, other], { hostname: "proxy-1" }));
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).toMatch(RFC5424);
    expect(JSON.parse(RFC5424.exec(messages[1]!)![7]!)).toEqual(other);
    expect(messages[1]!.startsWith("<134>1 ")).toBe(true);
  });
});
