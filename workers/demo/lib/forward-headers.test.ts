// Which headers a demo service propagates downstream.
import { describe, expect, it } from "vitest";
import { forwardHeaders, isPropagated } from "./forward-headers";

describe("isPropagated", () => {
  it.each([
    ["end-user", true],
    ["End-User", true],
    ["x-request-id", true],
    ["traceparent", true],
    ["tracestate", true],
    ["b3", true],
    ["x-b3-traceid", true],
    ["X-B3-Sampled", true],
    ["x-b3-parentspanid", true],
    ["authorization", true],
    ["x-mesh-identity", false],
    ["x-mesh-invocation-budget", true],
    ["x-mesh-principal", false],
    ["host", false],
    ["content-length", false],
    ["x-b3", false],
  ])("%s → %s", (name, expected) => {
    expect(isPropagated(name)).toBe(expected);
  });
});

describe("forwardHeaders", () => {
  it("copies trace and end-user headers and drops the rest", () => {
    const incoming = new Headers({
      "end-user": "jason",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "congo=t61rcWkgMzE",
      "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7",
      "x-b3-spanid": "e457b5a2e4d86bd1",
      b3: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1",
      "x-request-id": "abc",
      "x-mesh-principal": "cluster.local/ns/default/sa/attacker",
      "content-type": "text/plain",
    });
    const out = Object.fromEntries(forwardHeaders(incoming));
    expect(out).toEqual({
      "end-user": "jason",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "congo=t61rcWkgMzE",
      "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7",
      "x-b3-spanid": "e457b5a2e4d86bd1",
      b3: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1",
      "x-request-id": "abc",
    });
  });

  it("returns empty headers for a request without any", () => {
    expect([...forwardHeaders(new Headers())]).toEqual([]);
  });
});
