// RFC 5424 syslog messages with RFC 6587 octet-counting framing (syslog over TCP/TLS for SIEMs).
import type { AccessLogEntry, LogLevel } from "./access-log";

export const NILVALUE = "-";
/** Facility local0, the customary one for application logs. */
export const DEFAULT_FACILITY = 16;
/** RFC 5425 receivers SHOULD accept 8192 octets; longer messages are cut. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8192;
/** Private SD-ID under the documentation enterprise number (RFC 5612), for the mesh's structured data. */
export const MESH_SD_ID = "mesh@32473";

export interface SyslogOptions {
  /** 0–23; default local0 (16). */
  facility?: number;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** Mark MSG as UTF-8 with a BOM (RFC 5424 MSG-UTF8); off by default because many collectors keep it in the text. */
  bom?: boolean;
  maxMessageBytes?: number;
  /** Add `[mesh@32473 trace_id=… status=…]` structured data (default false: the JSON has everything). */
  structuredData?: boolean;
}

export interface SyslogMessage {
  /** 0 emergency … 7 debug. */
  severity: number;
  timestampMs?: number;
  msg: string;
  structuredData?: { id: string; params: Record<string, string> }[];
}

/** Severity for a log level: info 6, warning 4, error 3. */
export function syslogSeverity(level: LogLevel): number {
  return level === "error" ? 3 : level === "warn" ? 4 : 6;
}

/** Header fields are 1*N printable US-ASCII (33–126); anything else becomes `_`, empty becomes `-`. */
function headerField(value: string | undefined, maxLength: number): string {
  if (value === undefined || value === "") return NILVALUE;
  return value.replace(/[^\x21-\x7e]/g, "_").slice(0, maxLength);
}

/** SD-NAME: printable US-ASCII except `=`, space, `]` and `"`, at most 32 characters. */
function sdName(name: string): string {
  const clean = name.replace(/[^\x21-\x7e]|[= \]"]/g, "_").slice(0, 32);
  return clean === "" ? "_" : clean;
}

/** PARAM-VALUE escapes `"`, `\` and `]` with a backslash. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

function utf8Prefix(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).length;
    if (used + size > maxBytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]`, within `maxMessageBytes` (MSG is cut). */
export function formatSyslog(message: SyslogMessage, options: SyslogOptions = {}): string {
  const facility = Math.min(23, Math.max(0, Math.trunc(options.facility ?? DEFAULT_FACILITY)));
  const severity = Math.min(7, Math.max(0, Math.trunc(message.severity)));
  const time =
    message.timestampMs !== undefined && Number.isFinite(message.timestampMs)
      ? new Date(message.timestampMs).toISOString()
      : NILVALUE;
  const sd =
    message.structuredData && message.structuredData.length > 0
      ? message.structuredData
          .map(
            (el) =>
              `[${sdName(el.id)}${Object.entries(el.params)
                .map(([k, v]) => ` ${sdName(k)}="${escapeParamValue(v)}"`)
                .join("")}]`,
          )
          .join("")
      : NILVALUE;
  const header = [
    `<${facility * 8 + severity}>1`,
    time,
    headerField(options.hostname, 255),
    headerField(options.appName ?? "flaremesh", 48),
    headerField(options.procId, 128),
    headerField(options.msgId, 32),
    sd,
  ].join(" ");
  if (message.msg === "") return header;
  const bom = options.bom ? "\uFEFF" : "";
  const budget =
    (options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES) - new TextEncoder().encode(`${header} ${bom}`).length;
  return `${header} ${bom}${utf8Prefix(message.msg, Math.max(0, budget))}`;
}

/** RFC 6587 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in UTF-8 bytes. */
export function frameOctetCounting(message: string): Uint8Array {
  const body = new TextEncoder().encode(message);
  const prefix = new TextEncoder().encode(`${body.length} `);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}

/** One access log entry as a syslog message (MSG = the JSON line, MSGID `access`). */
export function accessLogToSyslog(entry: AccessLogEntry, options: SyslogOptions = {}): string {
  const ms = Date.parse(entry.time);
  const message: SyslogMessage = { severity: syslogSeverity(entry.level), msg: JSON.stringify(entry) };
  if (Number.isFinite(ms)) message.timestampMs = ms;
  if (options.structuredData) {
    message.structuredData = [
      {
        id: MESH_SD_ID,
        params: { trace_id: entry.trace_id, status: String(entry.status), response_flags: entry.response_flags },
      },
    ];
  }
  return formatSyslog(message, { msgId: "access", ...options });
}

/** The bytes to write on a TCP/TLS syslog connection for a batch of entries. Per batch. */
export function encodeSyslogBatch(entries: readonly AccessLogEntry[], options: SyslogOptions = {}): Uint8Array {
  const frames = entries.map((e) => frameOctetCounting(accessLogToSyslog(e, options)));
  const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}
