import { describe, it } from "vitest";
import { FM, SEC, doc, svc, tp, sink, expectRejection } from "../validate/testing/documents";
import type { Rejection } from "../validate/testing/documents";

const REJECTIONS: Rejection[] = [
  // Service
  [
    "endpoint with url and worker",
    svc({ endpoints: [{ url: "https://a.example", worker: "w" }] }),
    "Service/reviews",
    "spec.endpoints[0].worker",
    /exactly one of url or worker/,
  ],
  [
    "endpoint with neither url nor worker",
    svc({ endpoints: [{ weight: 1 }] }),
    "Service/reviews",
    "spec.endpoints[0]",
    /exactly one of url or worker/,
  ],
  [
    "endpoint URL not http(s)",
    svc({ endpoints: [{ url: "ftp://a.example" }] }),
    "Service/reviews",
    "spec.endpoints[0].url",
    /http or https/,
  ],
  [
    "endpoint URL with credentials",
    svc({ endpoints: [{ url: "https://u:p@a.example" }] }),
    "Service/reviews",
    "spec.endpoints[0].url",
    /credentials/,
  ],
  [
    "endpoint URL with a query",
    svc({ endpoints: [{ url: "https://a.example/?x=1" }] }),
    "Service/reviews",
    "spec.endpoints[0].url",
    /query/,
  ],
  [
    "negative endpoint weight",
    svc({ endpoints: [{ worker: "w", weight: -1 }] }),
    "Service/reviews",
    "spec.endpoints[0].weight",
    /≥ 0/,
  ],
  [
    "unknown endpoint field",
    svc({ endpoints: [{ worker: "w", host: "x" }] }),
    "Service/reviews",
    "spec.endpoints[0].host",
    /unknown field/,
  ],
  [
    "health check interval not a duration",
    svc({ healthCheck: { interval: "10" } }),
    "Service/reviews",
    "spec.healthCheck.interval",
    /duration/,
  ],
  [
    "endpoint labels with a non-string value",
    svc({ endpoints: [{ worker: "w", labels: { version: 2 } }] }),
    "Service/reviews",
    "spec.endpoints[0].labels.version",
    /string/,
  ],
  // security
  [
    "unknown mTLS mode",
    doc(SEC, "PeerAuthentication", "p", { mtls: { mode: "ON" } }),
    "PeerAuthentication/p",
    "spec.mtls.mode",
    /STRICT/,
  ],
  [
    "JWT rule without issuer",
    doc(SEC, "RequestAuthentication", "ra", { jwtRules: [{ jwksUri: "https://idp.example/jwks" }] }),
    "RequestAuthentication/ra",
    "spec.jwtRules[0].issuer",
    /required/,
  ],
  [
    "jwksUri and jwks",
    doc(SEC, "RequestAuthentication", "ra", {
      jwtRules: [{ issuer: "i", jwksUri: "https://idp.example/jwks", jwks: '{"keys":[]}' }],
    }),
    "RequestAuthentication/ra",
    "spec.jwtRules[0].jwks",
    /only one of jwksUri or jwks/,
  ],
  [
    "jwks not JSON",
    doc(SEC, "RequestAuthentication", "ra", { jwtRules: [{ issuer: "i", jwks: "{keys" }] }),
    "RequestAuthentication/ra",
    "spec.jwtRules[0].jwks",
    /JSON Web Key Set/,
  ],
  [
    "claim written to a mesh header",
    doc(SEC, "RequestAuthentication", "ra", {
      jwtRules: [{ issuer: "i", outputClaimToHeaders: [{ header: "x-mesh-principal", claim: "sub" }] }],
    }),
    "RequestAuthentication/ra",
    "spec.jwtRules[0].outputClaimToHeaders[0].header",
    /x-mesh-/,
  ],
  [
    "unknown authorization action",
    doc(SEC, "AuthorizationPolicy", "a", { action: "REJECT" }),
    "AuthorizationPolicy/a",
    "spec.action",
    /ALLOW/,
  ],
  [
    "unknown condition key",
    doc(SEC, "AuthorizationPolicy", "a", { rules: [{ when: [{ key: "request.body", values: ["x"] }] }] }),
    "AuthorizationPolicy/a",
    "spec.rules[0].when[0].key",
    /condition key/,
  ],
  [
    "targetRef to a Gateway",
    doc(SEC, "AuthorizationPolicy", "a", {
      targetRef: { kind: "Gateway", group: "gateway.networking.k8s.io", name: "gw" },
    }),
    "AuthorizationPolicy/a",
    "spec.targetRef.kind",
    /only kind Service/,
  ],
  [
    "selector and targetRef",
    doc(SEC, "AuthorizationPolicy", "a", {
      selector: { matchLabels: { app: "x" } },
      targetRef: { kind: "Service", name: "x" },
    }),
    "AuthorizationPolicy/a",
    "spec.targetRef",
    /only one of selector, targetRef/,
  ],
  [
    "provider without CUSTOM",
    doc(SEC, "AuthorizationPolicy", "a", { action: "DENY", provider: { name: "ext" } }),
    "AuthorizationPolicy/a",
    "spec.provider",
    /CUSTOM/,
  ],
  // TrafficPolicy
  [
    "ConsistentHash without hash",
    tp({ loadBalancer: { type: "ConsistentHash" } }),
    "TrafficPolicy/t",
    "spec.loadBalancer.hash",
    /required/,
  ],
  [
    "hash with two keys",
    tp({ loadBalancer: { type: "ConsistentHash", hash: { header: "x-user", cookie: "c" } } }),
    "TrafficPolicy/t",
    "spec.loadBalancer.hash.cookie",
    /exactly one of/,
  ],
  [
    "rate limit unit",
    tp({ rateLimit: { local: { requestsPerUnit: 10, unit: "day" } } }),
    "TrafficPolicy/t",
    "spec.rateLimit.local.unit",
    /second, minute/,
  ],
  [
    "rate limit key with two keys",
    tp({ rateLimit: { global: { requestsPerUnit: 10, unit: "minute", key: { header: "x", clientIp: true } } } }),
    "TrafficPolicy/t",
    "spec.rateLimit.global.key",
    /exactly one of/,
  ],
  [
    "abort status out of range",
    tp({ fault: { abort: { httpStatus: 700 } } }),
    "TrafficPolicy/t",
    "spec.fault.abort.httpStatus",
    /HTTP status/,
  ],
  [
    "fault percentage above 100",
    tp({ fault: { delay: { fixedDelay: "1s", percentage: 120 } } }),
    "TrafficPolicy/t",
    "spec.fault.delay.percentage",
    /between 0 and 100/,
  ],
  [
    "unknown retry condition",
    tp({ retry: { attempts: 1, retryOn: ["5xx", "nope"] } }),
    "TrafficPolicy/t",
    "spec.retry.retryOn",
    /nope/,
  ],
  ["negative retry attempts", tp({ retry: { attempts: -2 } }), "TrafficPolicy/t", "spec.retry.attempts", /≥ 0/],
  // TelemetrySink
  ["unknown sink type", sink({ type: "kafka" }), "TelemetrySink/s", "spec.type", /loki/],
  [
    "syslog endpoint not tcp/tls",
    sink({ type: "syslog", endpoint: "http://logs.example.com" }),
    "TelemetrySink/s",
    "spec.endpoint",
    /tcp:\/\/host:port/,
  ],
  [
    "otlp endpoint not http",
    sink({ type: "otlp-http", endpoint: "tcp://x.example:4318" }),
    "TelemetrySink/s",
    "spec.endpoint",
    /http or https/,
  ],
  [
    "endpoint with credentials",
    sink({ endpoint: "https://u:p@logs.example.com" }),
    "TelemetrySink/s",
    "spec.endpoint",
    /credentials/,
  ],
  [
    "sampling above 100",
    sink({ samplingPercent: 101 }),
    "TelemetrySink/s",
    "spec.samplingPercent",
    /between 0 and 100/,
  ],
  // MeshConfig
  [
    "CIDR prefix too long",
    doc(FM, "MeshConfig", "default", { allowedEndpointCidrs: ["10.0.0.0/33"] }),
    "MeshConfig/default",
    "spec.allowedEndpointCidrs[0]",
    /CIDR/,
  ],
  [
    "unknown mTLS default",
    doc(FM, "MeshConfig", "default", { defaultMtlsMode: "STRICTER" }),
    "MeshConfig/default",
    "spec.defaultMtlsMode",
    /STRICT/,
  ],
  [
    "trust domain with upper case",
    doc(FM, "MeshConfig", "default", { trustDomain: "Cluster.Local" }),
    "MeshConfig/default",
    "spec.trustDomain",
    /domain/,
  ],
  [
    "unknown trace propagation format",
    doc(FM, "MeshConfig", "default", { tracing: { propagation: ["tracecontext", "jaeger"] } }),
    "MeshConfig/default",
    "spec.tracing.propagation[1]",
    /tracecontext/,
  ],
  [
    "a trace propagation format listed twice",
    doc(FM, "MeshConfig", "default", { tracing: { propagation: ["b3", "b3"] } }),
    "MeshConfig/default",
    "spec.tracing.propagation",
    /twice/,
  ],
  [
    "no trace propagation format",
    doc(FM, "MeshConfig", "default", { tracing: { propagation: [] } }),
    "MeshConfig/default",
    "spec.tracing.propagation",
    /at least 1/,
  ],
];

describe("Service, security kinds, TrafficPolicy, TelemetrySink, MeshConfig: rejections name document and path", () => {
  it.each(REJECTIONS)("%s", (_name, document, label, path, message) => expectRejection(document, label, path, message));
});
