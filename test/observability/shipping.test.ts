// Access logs and spans reach every TelemetrySink in its published format: Loki, OTLP/HTTP, Zipkin, HTTP JSON, syslog-ng.
import { readFileSync, existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { LokiPush, OtlpLogs, OtlpTraces, ZipkinSpans, reserializeOtlpTraces } from "./formats";
import { SYSLOG_NG, missing, startReceiver, startSyslogNg, waitFor, type Daemon, type Receiver } from "./tools";

if (!SYSLOG_NG) console.warn(missing("syslog-ng", "syslog-ng-core"));

const PARENT = "b7ad6b7169203331";
const traceIds = [
  "4bf92f3577b34da6a3ce929d0e0e4736",
  "5bf92f3577b34da6a3ce929d0e0e4737",
  "6bf92f3577b34da6a3ce929d0e0e4738",
];

function sinks(receiver: Receiver, syslogPort: number | null): string {
  const docs = [
    `kind: TelemetrySink
metadata: {name: loki}
spec:
  type: loki
  endpoint: ${receiver.url}/lk
  headers:
    X-Scope-OrgID: tenant-1
    Authorization: {secret: LOKI_TOKEN, prefix: "Bearer "}
  batch: {maxEntries: 500, maxDelay: 200ms}`,
    `kind: TelemetrySink
metadata: {name: otlp}
spec: {type: otlp-http, endpoint: "${receiver.url}/otlp", batch: {maxDelay: 200ms}}`,
    `kind: TelemetrySink
metadata: {name: zipkin}
spec: {type: zipkin, endpoint: "${receiver.url}/zipkin/api/v2/spans", batch: {maxDelay: 200ms}}`,
    `kind: TelemetrySink
metadata: {name: intake}
spec: {type: http-json, endpoint: "${receiver.url}/json", format: ndjson, batch: {maxDelay: 200ms}}`,
    `kind: TelemetrySink
metadata: {name: rejecting}
spec: {type: http-json, endpoint: "${receiver.url}/reject", batch: {maxDelay: 100ms}}`,
  ];
  if (syslogPort !== null) {
    docs.push(`kind: TelemetrySink
metadata: {name: siem}
spec: {type: syslog, endpoint: "tcp://127.0.0.1:${syslogPort}", syslog: {appName: flaremesh, structuredData: true}, batch: {maxDelay: 200ms}}`);
  }
  return docs.map((d) => `apiVersion: flaremesh.dev/v1alpha1\n${d}`).join("\n---\n");
}

describe("shipping access logs and spans to TelemetrySinks", () => {
  let mesh: TestMesh;
  let receiver: Receiver;
  let syslog: (Daemon & { file: string }) | null = null;

  beforeAll(async () => {
    receiver = await startReceiver();
    if (SYSLOG_NG) syslog = await startSyslogNg();
    mesh = await startMesh({ demo: true, env: { "flaremesh-telemetry": { LOKI_TOKEN: "loki-s3cret" } } });
    const applied = await mesh.api("POST", "/v1/apply", sinks(receiver, syslog?.port ?? null));
    expect(applied.status, applied.body).toBe(200);
    // Wait until the proxy serves the revision with the sinks, then send the traffic under test.
    const revision = (applied.json as { revision: number }).revision;
    await waitFor("the proxy to serve the sinks", async () => {
      await mesh.fetch("details.localhost", "/details/0");
      const status = (await mesh.api("GET", "/v1/status")).json as { proxies: { revision: number | null }[] };
      return status.proxies.some((p) => p.revision === revision);
    });
    for (const traceId of traceIds) {
      const res = await mesh.fetch("productpage.localhost", "/api/v1/products/0?token=abc", {
        headers: { traceparent: `00-${traceId}-${PARENT}-01`, "user-agent": "observability-test" },
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await mesh?.stop();
    await syslog?.stop();
    await receiver?.stop();
  });

  const bodies = (prefix: string) => receiver.received.filter((r) => r.path.startsWith(prefix));

  it("pushes access logs to Loki with low-cardinality labels, the JSON line, and the secret header", async () => {
    const lines = await waitFor("Loki pushes for every trace", async () => {
      const all = bodies("/lk/loki/api/v1/push").flatMap((r) => LokiPush.parse(JSON.parse(r.body)).streams);
      const found = all.flatMap((s) =>
        s.values.map(([ts, line]) => ({ stream: s.stream, ts, entry: JSON.parse(line) })),
      );
      return traceIds.every((t) =>
        found.some((f) => f.entry.trace_id === t && f.entry.destination.service === "productpage"),
      )
        ? found
        : null;
    });
    const push = bodies("/lk/loki/api/v1/push")[0]!;
    expect(push.headers["content-type"]).toBe("application/json");
    expect(push.headers.authorization).toBe("Bearer loki-s3cret");
    expect(push.headers["x-scope-orgid"]).toBe("tenant-1");
    const ingress = lines.find(
      (l) => l.entry.trace_id === traceIds[0] && l.entry.destination.service === "productpage",
    )!;
    expect(Object.keys(ingress.stream).sort()).toEqual(["level", "namespace", "service"]);
    expect(ingress.entry).toMatchObject({
      level: "info",
      trace_id: traceIds[0],
      source: { principal: null, service: null },
      destination: { service: "productpage", namespace: "default", version: "v1" },
      method: "GET",
      path: "/api/v1/products/0?token=[redacted]",
      status: 200,
      attempts: 1,
      response_flags: "-",
      upstream: { id: "worker:productpage-v1", host: "productpage-v1" },
      user_agent: "observability-test",
    });
    expect(ingress.entry.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.parse(ingress.entry.time)).toBe(Math.floor(Number(BigInt(ingress.ts) / 1_000_000n)));
    // The hop productpage → details is logged with its verified caller.
    const egress = lines.find((l) => l.entry.trace_id === traceIds[0] && l.entry.destination.service === "details")!;
    expect(egress.entry.source).toEqual({
      principal: "cluster.local/ns/default/sa/productpage",
      service: "productpage",
      namespace: "default",
    });
    expect(JSON.stringify(lines)).not.toContain("loki-s3cret");
    // The resource keeps the secret's name only.
    const stored = await mesh.api("GET", "/v1/resources/TelemetrySink/default/loki");
    expect(JSON.stringify(stored.json)).toContain("LOKI_TOKEN");
    expect(stored.body).not.toContain("loki-s3cret");
  });

  it("sends Zipkin v2 spans, one per proxy hop, linked parent to child across services", async () => {
    const spans = await waitFor("Zipkin spans of the three traces", async () => {
      const all = bodies("/zipkin/api/v2/spans").flatMap((r) => ZipkinSpans.parse(JSON.parse(r.body)));
      // Each trace: productpage, details and reviews hops, plus ratings when reviews v2/v3 answered.
      const complete = traceIds.every((t) => all.filter((s) => s.traceId === t).length >= 3);
      return complete ? all : null;
    });
    let sawRatings = false;
    for (const traceId of traceIds) {
      const trace = spans.filter((s) => s.traceId === traceId);
      const by = (svc: string) => trace.find((s) => s.localEndpoint.serviceName === `${svc}.default`);
      const productpage = by("productpage")!;
      expect(productpage).toMatchObject({ kind: "SERVER", parentId: PARENT, name: "get" });
      expect(productpage.tags["http.response.status_code"]).toBe("200");
      expect(productpage.tags["url.path"]).toBe("/api/v1/products/0");
      expect(by("details")!.parentId).toBe(productpage.id);
      const reviews = by("reviews")!;
      expect(reviews.parentId).toBe(productpage.id);
      expect(reviews.remoteEndpoint).toEqual({ serviceName: "productpage.default" });
      const ratings = by("ratings");
      if (ratings) {
        sawRatings = true;
        expect(ratings.parentId).toBe(reviews.id);
      }
      expect(new Set(trace.map((s) => s.id)).size).toBe(trace.length);
    }
    expect(sawRatings).toBe(true); // reviews round-robins v1, v2, v3: two of three call ratings
  });

  it("sends OTLP/HTTP JSON traces and logs that OpenTelemetry's own serializer reproduces exactly", async () => {
    const traces = await waitFor("OTLP traces", async () => {
      const all = bodies("/otlp/v1/traces").map((r) => OtlpTraces.parse(JSON.parse(r.body)));
      const ids = all.flatMap((t) =>
        t.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.traceId))),
      );
      return traceIds.every((t) => ids.includes(t)) ? all : null;
    });
    for (const request of traces) expect(reserializeOtlpTraces(request)).toEqual(request);
    const first = bodies("/otlp/v1/traces")[0]!;
    expect(first.headers["content-type"]).toBe("application/json");
    const span = traces
      .flatMap((t) => t.resourceSpans)
      .find((rs) =>
        rs.resource.attributes.some(
          (a) => a.key === "service.name" && "stringValue" in a.value && a.value.stringValue === "productpage",
        ),
      )!
      .scopeSpans[0]!.spans.find((s) => s.traceId === traceIds[0])!;
    expect(span.parentSpanId).toBe(PARENT);
    expect(span.kind).toBe(2);
    expect(span.flags).toBe(0x301); // sampled; parent known, and remote

    const logs = await waitFor("OTLP logs", async () => {
      const all = bodies("/otlp/v1/logs").map((r) => OtlpLogs.parse(JSON.parse(r.body)));
      const records = all.flatMap((l) => l.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)));
      return traceIds.every((t) => records.some((r) => r.traceId === t)) ? records : null;
    });
    const record = logs.find((r) => r.traceId === traceIds[0])!;
    expect(record.severityText).toBe("INFO");
    expect("stringValue" in record.body && JSON.parse(record.body.stringValue).trace_id).toBe(traceIds[0]);
  });

  it("posts NDJSON batches to a plain HTTP intake", async () => {
    const entries = await waitFor("NDJSON entries", async () => {
      const all = bodies("/json").flatMap((r) => {
        expect(r.headers["content-type"]).toBe("application/x-ndjson");
        expect(r.body.endsWith("\n")).toBe(true);
        return r.body
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l));
      });
      return traceIds.every((t) => all.some((e) => e.trace_id === t)) ? all : null;
    });
    expect(entries.every((e) => typeof e.request_id === "string" && typeof e.duration_ms === "number")).toBe(true);
  });

  it.skipIf(!SYSLOG_NG)("delivers RFC 5424 access logs over TCP to a real syslog-ng, found by trace id", async () => {
    const text = await waitFor("syslog-ng output", async () => {
      if (!existsSync(syslog!.file)) return null;
      const content = readFileSync(syslog!.file, "utf8");
      return traceIds.every((t) => content.includes(t)) ? content : null;
    });
    // template: $ISODATE $HOST $PROGRAM $MSGID $MSG — syslog-ng parsed the header fields we sent.
    const parsed = text.split("\n").flatMap((l) => {
      const m = /^\S+ \S+ (\S+) (\S+) (\{.*\})$/.exec(l);
      return m ? [{ program: m[1], msgid: m[2], entry: JSON.parse(m[3]!) }] : [];
    });
    const ingress = parsed.find(
      (p) => p.entry.trace_id === traceIds[1] && p.entry.destination.service === "productpage",
    );
    expect(ingress).toMatchObject({
      program: "flaremesh",
      msgid: "access",
      entry: { status: 200, response_flags: "-", source: { service: null } },
    });
  });

  it("counts what a sink refuses as dropped, and what the others took as sent, in /metrics", async () => {
    await waitFor(
      "telemetry counters",
      async () => {
        const text = (await mesh.api("GET", "/metrics")).body;
        const dropped =
          /mesh_telemetry_dropped_total\{sink="TelemetrySink\/default\/rejecting",kind="log"\} (\d+)/.exec(text);
        const sent = /mesh_telemetry_sent_total\{sink="TelemetrySink\/default\/loki",kind="log"\} (\d+)/.exec(text);
        return dropped && Number(dropped[1]) > 0 && sent && Number(sent[1]) >= 3;
      },
      15_000,
    );
  });
});
