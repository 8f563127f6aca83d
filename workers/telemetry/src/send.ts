// Sends one batch to one sink: encodes it in the sink's format and POSTs it, or writes it to a syslog socket.
import { connect } from "cloudflare:sockets";
import type { TelemetrySinkModel } from "../../../shared/model/telemetry";
import {
  LOKI_CONTENT_TYPE,
  OTLP_CONTENT_TYPE,
  ZIPKIN_CONTENT_TYPE,
  classifyStatus,
  encodeHttpJson,
  encodeLokiPush,
  encodeOtlpLogs,
  encodeOtlpTraces,
  encodeSyslogBatch,
  encodeZipkin,
  sinkTargets,
  type AccessLogEntry,
  type SendResult,
  type SpanRecord,
} from "../../../shared/telemetry/index";
import { secretValue, type ShipperEnv } from "./env";

export type Shippable = { kind: "log"; entry: AccessLogEntry } | { kind: "span"; entry: SpanRecord };

const warned = new Set<string>();

/** Configured headers with secrets resolved from the shipper's env (a missing secret is left out, once warned). */
export function sinkHeaders(sink: TelemetrySinkModel, env: ShipperEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of sink.headers) {
    if (h.value !== undefined) out[h.name] = h.value;
    else if (h.secret !== undefined) {
      const secret = secretValue(env, h.secret);
      if (secret !== undefined) out[h.name] = `${h.prefix ?? ""}${secret}`;
      else if (!warned.has(`${sink.id}:${h.secret}`)) {
        warned.add(`${sink.id}:${h.secret}`);
        console.warn(`flaremesh-telemetry: ${sink.id}: secret ${h.secret} is not set; header ${h.name} not sent`);
      }
    }
  }
  return out;
}

/** The worse of two outcomes: a rejection beats a retry beats ok. */
function worst(a: SendResult, b: SendResult): SendResult {
  const rank = { ok: 0, retry: 1, reject: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

async function post(
  url: string,
  body: string,
  contentType: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": contentType },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read the answer so the connection is released; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    return classifyStatus(res.status);
  } catch {
    return "retry";
  }
}

async function writeSyslog(
  target: { hostname: string; port: number; tls: boolean },
  bytes: Uint8Array,
  timeoutMs: number,
): Promise<SendResult> {
  const socket = connect(
    { hostname: target.hostname, port: target.port },
    { secureTransport: target.tls ? "on" : "off", allowHalfOpen: false },
  );
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`syslog: no progress within ${timeoutMs} ms`)), timeoutMs),
  );
  try {
    await Promise.race([socket.opened, timer]);
    const writer = socket.writable.getWriter();
    await Promise.race([writer.write(bytes), timer]);
    await Promise.race([writer.close(), timer]);
    return "ok";
  } catch {
    return "retry";
  } finally {
    socket.close().catch(() => undefined);
  }
}

/** One batch to one sink; the outcome drives the buffer's retry/backoff. */
export async function sendToSink(
  sink: TelemetrySinkModel,
  batch: readonly Shippable[],
  env: ShipperEnv,
): Promise<SendResult> {
  const logs = batch.flatMap((b) => (b.kind === "log" ? [b.entry] : []));
  const spans = batch.flatMap((b) => (b.kind === "span" ? [b.entry] : []));
  const targets = sinkTargets(sink);
  const headers = sinkHeaders(sink, env);
  const timeout = sink.timeoutMs;
  let result: SendResult = "ok";
  switch (sink.type) {
    case "otlp-http":
      if (logs.length > 0)
        result = worst(
          result,
          await post(targets.logs!, JSON.stringify(encodeOtlpLogs(logs)), OTLP_CONTENT_TYPE, headers, timeout),
        );
      if (spans.length > 0)
        result = worst(
          result,
          await post(targets.traces!, JSON.stringify(encodeOtlpTraces(spans)), OTLP_CONTENT_TYPE, headers, timeout),
        );
      return result;
    case "zipkin":
      return spans.length === 0
        ? "ok"
        : post(targets.traces!, JSON.stringify(encodeZipkin(spans)), ZIPKIN_CONTENT_TYPE, headers, timeout);
    case "loki": {
      if (logs.length === 0) return "ok";
      const push = encodeLokiPush(logs, { structuredMetadata: sink.structuredMetadata ?? false });
      return post(targets.logs!, JSON.stringify(push), LOKI_CONTENT_TYPE, headers, timeout);
    }
    case "http-json":
      for (const entries of [logs, spans]) {
        if (entries.length === 0) continue;
        const { body, contentType } = encodeHttpJson(entries, sink.format ?? "json");
        result = worst(result, await post(targets.logs!, body, contentType, headers, timeout));
      }
      return result;
    case "syslog": {
      if (logs.length === 0) return "ok";
      const options = sink.syslog ?? { facility: 16, appName: "flaremesh", structuredData: false };
      return writeSyslog(targets.syslog!, encodeSyslogBatch(logs, options), timeout);
    }
  }
}
