// Where a sink's batches go: the URL per signal (OTLP/Loki paths appended to the base) or the syslog socket.
import type { TelemetrySinkModel } from "../model/telemetry";
import { LOKI_PUSH_PATH } from "./loki";
import { OTLP_LOGS_PATH, OTLP_TRACES_PATH } from "./otlp";

export interface SinkTargets {
  /** URL to POST spans to. */
  traces?: string;
  /** URL to POST access logs to. */
  logs?: string;
  /** Socket for syslog (`connect()` with `secureTransport: "on"` for tls). */
  syslog?: { hostname: string; port: number; tls: boolean };
}

/** `base` + `path` the way OTEL_EXPORTER_OTLP_ENDPOINT is resolved: the path is appended, slashes merged. */
export function appendPath(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  return url.toString();
}

/** Resolves the endpoint of a validated sink (see `TelemetrySinkModel`). Per config revision. */
export function sinkTargets(sink: Pick<TelemetrySinkModel, "type" | "endpoint">): SinkTargets {
  switch (sink.type) {
    case "otlp-http":
      return { traces: appendPath(sink.endpoint, OTLP_TRACES_PATH), logs: appendPath(sink.endpoint, OTLP_LOGS_PATH) };
    case "loki":
      return { logs: appendPath(sink.endpoint, LOKI_PUSH_PATH) };
    case "zipkin":
      return { traces: sink.endpoint };
    case "http-json":
      return { traces: sink.endpoint, logs: sink.endpoint };
    case "syslog": {
      const url = new URL(sink.endpoint);
      return {
        syslog: {
          hostname: url.hostname.replace(/^\[|\]$/g, ""),
          port: Number(url.port),
          tls: url.protocol === "tls:",
        },
      };
    }
  }
}
