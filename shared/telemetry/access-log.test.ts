import { describe, expect, it } from "vitest";
import type { ProxyErrorCode } from "../errors";
import { accessLogLine, buildAccessLog, levelForStatus, type AccessLogInput } from "./access-log";
import { REDACTED, endpointHost, redact, sanitizePath } from "./redact";
import { flagForErrorCode, flagsToString, parseFlags, type ResponseFlag } from "./response-flags";

const input: AccessLogInput = {
  startMs: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
  durationMs: 12.34567,
  requestId: "req-1",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  source: { principal: "cluster.local/ns/default/sa/productpage", service: "productpage", namespace: "default" },
  destination: {
    service: "reviews",
    namespace: "default",
    version: "v2",
    principal: "cluster.local/ns/default/sa/reviews",
  },
  routeId: "HTTPRoute/default/reviews#rule0",
  method: "GET",
  authority: "reviews.localhost:8787",
  path: "/reviews/0?user=jason&access_token=eyJhbGciOi.secret.sig",
  protocol: "HTTP/1.1",
  status: 503,
  upstream: { id: "ep-1", url: "https://admin:hunter2@reviews.internal:8443/base?k=v" },
  attempts: 3,
  flags: ["URX", "UF", "UF"],
  userAgent: "curl/8.5.0",
};

describe("buildAccessLog", () => {
  it("produces the documented JSON object", () => {
    expect(buildAccessLog(input)).toEqual({
      time: "2025-01-02T03:04:05.678Z",
      level: "error",
      request_id: "req-1",
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      span_id: "00f067aa0ba902b7",
      source: { principal: "cluster.local/ns/default/sa/productpage", service: "productpage", namespace: "default" },
      destination: {
        service: "reviews",
        namespace: "default",
        version: "v2",
        principal: "cluster.local/ns/default/sa/reviews",
      },
      route: "HTTPRoute/default/reviews#rule0",
      method: "GET",
      authority: "reviews.localhost:8787",
      path: `/reviews/0?user=jason&access_token=${REDACTED}`,
      protocol: "HTTP/1.1",
      status: 503,
      duration_ms: 12.346,
      upstream: { id: "ep-1", host: "reviews.internal:8443" },
      attempts: 3,
      response_flags: "UF,URX",
      authz_policy: null,
      error_code: null,
      user_agent: "curl/8.5.0",
    });
  });

  it("never contains the secrets it was given", () => {
    const line = accessLogLine(buildAccessLog(input));
    for (const secret of ["eyJhbGciOi", "hunter2", "admin:"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toEqual(buildAccessLog(input));
  });

  it("records an authz denial with no upstream", () => {
    const entry = buildAccessLog({
      ...input,
      status: 403,
      upstream: undefined,
      attempts: 0,
      flags: [flagForErrorCode("forbidden")!],
      authzPolicy: "AuthorizationPolicy/default/deny-all",
      errorCode: "forbidden",
      source: {},
    });
    expect(entry).toMatchObject({
      level: "warn",
      upstream: null,
      attempts: 0,
      response_flags: "UAEX",
      authz_policy: "AuthorizationPolicy/default/deny-all",
      error_code: "forbidden",
      source: { principal: null, service: null, namespace: null },
    });
  });

  it("names a Worker endpoint by its Worker name", () => {
    const entry = buildAccessLog({ ...input, upstream: { id: "reviews-v2", worker: "reviews-v2" } });
    expect(entry.upstream).toEqual({ id: "reviews-v2", host: "reviews-v2" });
  });

  it.each([
    [200, "info"],
    [302, "info"],
    [404, "warn"],
    [429, "warn"],
    [500, "error"],
    [0, "error"],
  ])("status %i is level %s", (status, level) => {
    expect(levelForStatus(status)).toBe(level);
  });
});

describe("sanitizePath", () => {
  it.each([
    ["/plain", "/plain"],
    ["/a?x=1&y=2", "/a?x=1&y=2"],
    ["/a?token=abc", `/a?token=${REDACTED}`],
    ["/a?Access_Token=abc&page=2", `/a?Access_Token=${REDACTED}&page=2`],
    ["/a?api-key=abc", `/a?api-key=${REDACTED}`],
    ["/a?X-Amz-Signature=abc&X-Amz-Credential=AKIA", `/a?X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}`],
    ["/a?pass%77ord=abc", `/a?pass%77ord=${REDACTED}`], // percent-encoded key
    [
      "/a?my_secret=1&client_secret=2&password=3&signature=4",
      `/a?my_secret=${REDACTED}&client_secret=${REDACTED}&password=${REDACTED}&signature=${REDACTED}`,
    ],
    ["/a?token", "/a?token"], // no value, nothing to hide
    ["/a?q=%20x#frag-with-token=1", "/a?q=%20x"],
    ["/a?", "/a?"],
  ])("%s → %s", (target, expected) => {
    expect(sanitizePath(target)).toBe(expected);
  });

  it("keeps allow-listed keys", () => {
    expect(sanitizePath("/a?code=404&token=t", { allow: ["code"] })).toBe(`/a?code=404&token=${REDACTED}`);
  });

  it("cuts very long targets", () => {
    const out = sanitizePath(`/${"x".repeat(5000)}`);
    expect(out).toHaveLength(2048);
    expect(out.endsWith("...")).toBe(true);
  });
});

describe("redact", () => {
  it("hides credentials but keeps the fact that they were sent", () => {
    const out = redact([
      ["Authorization", "Bearer abc"],
      ["Cookie", "sid=1"],
      ["X-Mesh-Identity", "eyJ..."],
      ["x-custom-auth-token", "t"],
      ["X-Api-Key", "k"],
      ["cf-access-jwt-assertion", "jwt"],
      ["Accept", "application/json"],
      ["x-mesh-principal", "cluster.local/ns/default/sa/productpage"],
      ["user-agent", "curl"],
    ]);
    expect(out).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      "x-mesh-identity": REDACTED,
      "x-custom-auth-token": REDACTED,
      "x-api-key": REDACTED,
      "cf-access-jwt-assertion": REDACTED,
      accept: "application/json",
      "x-mesh-principal": "cluster.local/ns/default/sa/productpage",
      "user-agent": "curl",
    });
  });

  it("accepts a plain record and an allow-list", () => {
    expect(redact({ "X-Session-Id": "s", Authorization: "a" }, { allow: ["x-session-id"] })).toEqual({
      "x-session-id": "s",
      authorization: REDACTED,
    });
  });
});

describe("endpointHost", () => {
  it.each([
    ["https://user:pw@api.example.com:8443/v1?x=1", "api.example.com:8443"],
    ["http://127.0.0.1:9001", "127.0.0.1:9001"],
    ["reviews-v2", "reviews-v2"],
    ["user:pw@weird", "weird"],
  ])("%s → %s", (endpoint, host) => {
    expect(endpointHost(endpoint)).toBe(host);
  });
});

describe("response flags", () => {
  it.each<[ResponseFlag[], string]>([
    [[], "-"],
    [["URX", "UT"], "UT,URX"],
    [["UF", "UF"], "UF"],
    [["UAEX", "RL", "DI", "FI"], "DI,FI,RL,UAEX"],
    [["DC", "UC", "UO", "NR", "UH"], "UH,UC,UO,NR,DC"],
  ])("%j → %s", (flags, text) => {
    expect(flagsToString(flags)).toBe(text);
    expect(parseFlags(text).sort()).toEqual([...new Set(flags)].sort());
  });

  it.each<[ProxyErrorCode, ResponseFlag | undefined]>([
    ["no_route", "NR"],
    ["service_not_found", "NR"],
    ["no_config", "NR"],
    ["no_healthy_upstream", "UH"],
    ["circuit_open", "UO"],
    ["upstream_unavailable", "UF"],
    ["upstream_timeout", "UT"],
    ["rate_limited", "RL"],
    ["fault_injected", "FI"],
    ["forbidden", "UAEX"],
    ["unauthenticated", "UAEX"],
    ["payload_too_large", undefined],
    ["misconfigured", undefined],
  ])("error %s → flag %s", (code, flag) => {
    expect(flagForErrorCode(code)).toBe(flag);
  });
});
