import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../model/snapshot";
import { expectRejection, FM, doc } from "../validate/testing/documents";
import { loadResources } from "../validate/testing/load";
import { compileSnapshot } from "./index";
import { compileTelemetry } from "./telemetry";

const SERVICES = `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: reviews}
spec: {endpoints: [{worker: reviews-v1}]}
`;

const SINKS = `
apiVersion: flaremesh.dev/v1alpha1
kind: TelemetrySink
metadata: {name: loki}
spec:
  type: loki
  endpoint: https://loki.example.com
  headers:
    X-Scope-OrgID: tenant-1
    Authorization: {secret: LOKI_TOKEN, prefix: "Bearer "}
  batch: {maxEntries: 50, maxDelay: 2s}
---
apiVersion: flaremesh.dev/v1alpha1
kind: TelemetrySink
metadata: {name: siem, namespace: ops}
spec:
  type: syslog
  endpoint: tls://siem.example.com:6514
  syslog: {facility: 13, structuredData: true}
---
apiVersion: flaremesh.dev/v1alpha1
kind: TelemetrySink
metadata: {name: traces}
spec:
  type: zipkin
  endpoint: https://zipkin.example.com/api/v2/spans
  samplingPercent: 10
  targetRef: {kind: Service, name: reviews}
`;

describe("compileTelemetry", () => {
  it("maps every TelemetrySink into the snapshot, ordered by id, with secrets by name only", () => {
    const snapshot = compileSnapshot(loadResources(SERVICES, SINKS), 3, "2024-06-01T00:00:00.000Z");
    expect(parseSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
    const sinks = snapshot.telemetry!.sinks;
    expect(sinks.map((s) => s.id)).toEqual([
      "TelemetrySink/default/loki",
      "TelemetrySink/default/traces",
      "TelemetrySink/ops/siem",
    ]);
    expect(sinks[0]).toMatchObject({
      type: "loki",
      endpoint: "https://loki.example.com",
      headers: [
        { name: "x-scope-orgid", value: "tenant-1" },
        { name: "authorization", secret: "LOKI_TOKEN", prefix: "Bearer " },
      ],
      batch: { maxEntries: 50, maxDelayMs: 2000 },
      samplingPercent: 100,
    });
    expect(sinks[0]!.services).toBeUndefined();
    expect(sinks[1]).toMatchObject({ type: "zipkin", samplingPercent: 10, services: ["default/reviews"] });
    expect(sinks[2]).toMatchObject({ type: "syslog", syslog: { facility: 13, structuredData: true } });
    expect(JSON.stringify(snapshot)).not.toMatch(/Bearer [^"]/);
  });

  it("leaves telemetry out when there is no sink, and never widens a sink whose targets are gone", () => {
    expect(compileSnapshot(loadResources(SERVICES), 1, "t").telemetry).toBeUndefined();
    const sinks = loadResources(SERVICES, SINKS);
    expect(compileTelemetry(sinks, new Set())!.sinks.map((s) => s.id)).toEqual([
      "TelemetrySink/default/loki",
      "TelemetrySink/ops/siem",
    ]);
  });
});

describe("TelemetrySink schema", () => {
  const sink = (spec: Record<string, unknown>) =>
    doc(FM, "TelemetrySink", "s", { type: "http-json", endpoint: "https://logs.example.com/in", ...spec });
  it.each([
    [
      "a credential as a plain header",
      sink({ headers: { Authorization: "Bearer abc" } }),
      "spec.headers.Authorization",
      /secret/,
    ],
    ["a plain token header", sink({ headers: { "X-Api-Token": "abc" } }), "spec.headers.X-Api-Token", /secret/],
    [
      "a bad secret name",
      sink({ headers: { Authorization: { secret: "no-dashes" } } }),
      "spec.headers.Authorization.secret",
      /LOKI_TOKEN/,
    ],
    [
      "headers on syslog",
      sink({ type: "syslog", endpoint: "tcp://127.0.0.1:514", headers: { "X-A": "b" } }),
      "spec.headers",
      /syslog/,
    ],
    ["logs to zipkin", sink({ type: "zipkin", signals: ["logs"] }), "spec.signals[0]", /cannot receive logs/],
    ["format on loki", sink({ type: "loki", format: "ndjson" }), "spec.format", /http-json/],
  ])("rejects %s", (_name, document, path, message) => expectRejection(document, "TelemetrySink/s", path, message));
});
