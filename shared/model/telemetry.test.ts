import { describe, expect, it } from "vitest";
import { sinkTargets } from "../telemetry/sink-targets";
import { TelemetryModel, TelemetrySinkModel, parseTelemetry, sinkSignals, sinksForService } from "./telemetry";

const sink = (patch: Record<string, unknown>) => ({
  id: "TelemetrySink/default/s",
  type: "otlp-http",
  endpoint: "http://127.0.0.1:4318",
  ...patch,
});

describe("TelemetrySinkModel", () => {
  it("fills defaults", () => {
    expect(TelemetrySinkModel.parse(sink({}))).toEqual({
      id: "TelemetrySink/default/s",
      type: "otlp-http",
      endpoint: "http://127.0.0.1:4318",
      headers: [],
      samplingPercent: 100,
      batch: { maxEntries: 100, maxDelayMs: 1000 },
      bufferEntries: 1000,
      timeoutMs: 5000,
    });
  });

  it("keeps header secrets as references and lower-cases names", () => {
    const parsed = TelemetrySinkModel.parse(
      sink({ headers: [{ name: "Authorization", secret: "OTLP_TOKEN", prefix: "Bearer " }] }),
    );
    expect(parsed.headers).toEqual([{ name: "authorization", secret: "OTLP_TOKEN", prefix: "Bearer " }]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["an unknown type", { type: "kafka" }, "type"],
    ["a relative endpoint", { endpoint: "/v1" }, "endpoint"],
    ["credentials in the endpoint", { endpoint: "https://user:pw@otel.example.com" }, "endpoint"],
    ["a non-HTTP endpoint for OTLP", { endpoint: "tcp://otel:4317" }, "endpoint"],
    ["an HTTP endpoint for syslog", { type: "syslog", endpoint: "http://siem:514" }, "endpoint"],
    ["syslog without a port", { type: "syslog", endpoint: "tcp://siem" }, "endpoint"],
    [
      "a header value instead of a secret name",
      { headers: [{ name: "authorization", secret: "Bearer abc" }] },
      "headers.0.secret",
    ],
    ["a literal credential header value", { headers: [{ name: "x-api-key", value: "abc" }] }, "headers.0.value"],
    [
      "a header with both secret and value",
      { headers: [{ name: "x-a", value: "abc", secret: "X" }] },
      "headers.0.secret",
    ],
    ["a reserved header", { headers: [{ name: "Content-Length", secret: "X" }] }, "headers.0.name"],
    ["a bad header name", { headers: [{ name: "bad header", secret: "X" }] }, "headers.0.name"],
    ["a sampling rate over 100", { samplingPercent: 101 }, "samplingPercent"],
    ["an empty batch", { batch: { maxEntries: 0 } }, "batch.maxEntries"],
    ["traces to Loki", { type: "loki", signals: ["traces"] }, "signals.0"],
    ["format on a non-http-json sink", { format: "ndjson" }, "format"],
    ["syslog options on an OTLP sink", { syslog: {} }, "syslog"],
    [
      "headers on syslog",
      { type: "syslog", endpoint: "tcp://siem:514", headers: [{ name: "x", secret: "X" }] },
      "headers",
    ],
    ["a bad service key", { services: ["reviews"] }, "services.0"],
    ["an empty service list", { services: [] }, "services"],
    ["an unknown field", { color: "blue" }, ""],
  ])("rejects %s", (_name, patch, path) => {
    const result = TelemetrySinkModel.safeParse(sink(patch));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["otlp-http", {}, ["logs", "traces"]],
    ["zipkin", { type: "zipkin", endpoint: "http://z:9411/api/v2/spans" }, ["traces"]],
    ["loki", { type: "loki" }, ["logs"]],
    ["http-json", { type: "http-json", endpoint: "http://v:8080/" }, ["logs"]],
    ["syslog", { type: "syslog", endpoint: "tls://siem:6514" }, ["logs"]],
    ["http-json asked for traces", { type: "http-json", endpoint: "http://v/", signals: ["traces"] }, ["traces"]],
  ])("signals of %s", (_name, patch, signals) => {
    expect(sinkSignals(TelemetrySinkModel.parse(sink(patch)))).toEqual(signals);
  });
});

describe("TelemetryModel", () => {
  it("parses a mesh config with scoped and mesh-wide sinks", () => {
    const model = parseTelemetry({
      samplingPercent: 10,
      sinks: [
        sink({ id: "a" }),
        sink({ id: "b", services: ["default/reviews", "default/details"] }),
        sink({ id: "c", services: ["default/ratings"] }),
      ],
    })!;
    expect(model.accessLogs).toBe(true);
    expect(sinksForService(model, "default/reviews").map((s) => s.id)).toEqual(["a", "b"]);
    expect(sinksForService(model, "default/productpage").map((s) => s.id)).toEqual(["a"]);
    expect(parseTelemetry({ sinks: [sink({ type: "nope" })] })).toBeNull();
    expect(TelemetryModel.parse({})).toEqual({ samplingPercent: 100, accessLogs: true, sinks: [] });
  });
});

describe("sinkTargets", () => {
  it.each<[string, Record<string, unknown>, object]>([
    ["OTLP base URL", {}, { traces: "http://127.0.0.1:4318/v1/traces", logs: "http://127.0.0.1:4318/v1/logs" }],
    [
      "OTLP base with a path and slash",
      { endpoint: "https://otel.example.com/otlp/" },
      { traces: "https://otel.example.com/otlp/v1/traces", logs: "https://otel.example.com/otlp/v1/logs" },
    ],
    ["Loki", { type: "loki", endpoint: "http://loki:3100" }, { logs: "http://loki:3100/loki/api/v1/push" }],
    [
      "Zipkin full URL",
      { type: "zipkin", endpoint: "http://z:9411/api/v2/spans" },
      { traces: "http://z:9411/api/v2/spans" },
    ],
    [
      "syslog over TLS",
      { type: "syslog", endpoint: "tls://[::1]:6514" },
      { syslog: { hostname: "::1", port: 6514, tls: true } },
    ],
    [
      "syslog over TCP",
      { type: "syslog", endpoint: "tcp://127.0.0.1:5140" },
      { syslog: { hostname: "127.0.0.1", port: 5140, tls: false } },
    ],
  ])("%s", (_name, patch, expected) => {
    expect(sinkTargets(TelemetrySinkModel.parse(sink(patch)))).toEqual(expected);
  });
});
