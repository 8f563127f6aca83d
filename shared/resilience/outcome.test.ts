// Outcome classification: what workerd and Node errors mean for retries, ejection and the error code.
import { describe, expect, it } from "vitest";
import {
  classifyOutcome,
  failureError,
  isGatewayError,
  isServerError,
  type TryOutcome,
  type TryResult,
} from "./outcome";

const err = (message: string, name = "Error") => Object.assign(new Error(message), { name });

describe("classifyOutcome", () => {
  it.each<[string, TryResult, TryOutcome]>([
    ["a response", { response: { status: 503 } }, { status: 503, delivered: "yes" }],
    [
      "a gRPC status header",
      { response: { status: 200, grpcStatus: "14" } },
      { status: 200, grpcStatus: 14, delivered: "yes" },
    ],
    ["a junk gRPC status", { response: { status: 200, grpcStatus: "x" } }, { status: 200, delivered: "yes" }],
    [
      "workerd refused/closed before response",
      { error: err("Network connection lost.") },
      { failure: "connect-failure", delivered: "unknown" },
    ],
    [
      "Node ECONNREFUSED",
      { error: err("connect ECONNREFUSED 127.0.0.1:1") },
      { failure: "connect-failure", delivered: "no" },
    ],
    ["DNS failure", { error: err("getaddrinfo ENOTFOUND nowhere") }, { failure: "connect-failure", delivered: "no" }],
    [
      "body broke after headers",
      { error: err("Network connection lost."), afterHeaders: true },
      { failure: "reset", delivered: "yes" },
    ],
    [
      "per-try timer",
      { error: err("aborted", "AbortError"), timedOut: "per-try" },
      { failure: "timeout", timedOut: "per-try", delivered: "unknown" },
    ],
    [
      "request timer",
      { error: err("aborted", "AbortError"), timedOut: "request" },
      { failure: "timeout", timedOut: "request", delivered: "unknown" },
    ],
    [
      "AbortSignal.timeout",
      { error: err("The operation was aborted due to timeout", "TimeoutError") },
      { failure: "timeout", timedOut: "per-try", delivered: "unknown" },
    ],
    ["client went away", { error: err("aborted", "AbortError") }, { failure: "cancelled", delivered: "unknown" }],
    ["flagged cancelled", { error: err("whatever"), cancelled: true }, { failure: "cancelled", delivered: "unknown" }],
    ["a Worker threw", { error: err("boom") }, { failure: "reset", delivered: "unknown" }],
    ["a thrown string", { error: "bad" }, { failure: "reset", delivered: "unknown" }],
    ["a thrown null", { error: null }, { failure: "reset", delivered: "unknown" }],
  ])("%s", (_name, input, expected) => expect(classifyOutcome(input)).toEqual(expected));
});

describe("isServerError / isGatewayError", () => {
  it.each<[TryOutcome, boolean, boolean]>([
    [{ status: 200, delivered: "yes" }, false, false],
    [{ status: 404, delivered: "yes" }, false, false],
    [{ status: 500, delivered: "yes" }, true, false],
    [{ status: 502, delivered: "yes" }, true, true],
    [{ status: 503, delivered: "yes" }, true, true],
    [{ status: 504, delivered: "yes" }, true, true],
    [{ failure: "connect-failure", delivered: "no" }, true, true],
    [{ failure: "reset", delivered: "yes" }, true, true],
    [{ failure: "timeout", timedOut: "per-try", delivered: "unknown" }, true, true],
    [{ failure: "timeout", timedOut: "request", delivered: "unknown" }, true, true],
    [{ failure: "overflow", delivered: "no" }, false, false],
    [{ failure: "cancelled", delivered: "unknown" }, false, false],
  ])("%j → 5xx %s, gateway %s", (outcome, server, gateway) => {
    expect(isServerError(outcome)).toBe(server);
    expect(isGatewayError(outcome)).toBe(gateway);
  });
});

describe("failureError", () => {
  it.each([
    ["connect-failure", "upstream_unavailable", "UF"],
    ["reset", "upstream_unavailable", "UR"],
    ["refused-stream", "upstream_unavailable", "UR"],
    ["timeout", "upstream_timeout", "UT"],
    ["overflow", "circuit_open", "UO"],
    ["cancelled", "upstream_unavailable", "DC"],
  ] as const)("%s → %s / %s", (failure, code, flag) => expect(failureError(failure)).toEqual({ code, flag }));
});
