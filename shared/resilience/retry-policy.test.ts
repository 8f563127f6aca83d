// Retry decisions: each retryOn condition, attempts, idempotency, bodies, deadlines, back-off and budget.
import { describe, expect, it } from "vitest";
import { ISTIO_DEFAULT_RETRY } from "../model/resilience";
import type { TryOutcome } from "./outcome";
import {
  compileRetryPolicy,
  isIdempotentMethod,
  matchesRetryOn,
  nextRetry,
  NO_RETRY,
  shouldRetry,
  type RetryContext,
} from "./retry-policy";
import { createRetryBudget } from "./retry-budget";
import { fixedRandom } from "./testing/prng";

const status = (s: number, grpcStatus?: number): TryOutcome =>
  grpcStatus === undefined ? { status: s, delivered: "yes" } : { status: s, grpcStatus, delivered: "yes" };
const CONNECT_NOT_SENT: TryOutcome = { failure: "connect-failure", delivered: "no" };
const CONNECT_LOST: TryOutcome = { failure: "connect-failure", delivered: "unknown" };
const RESET: TryOutcome = { failure: "reset", delivered: "yes" };
const PER_TRY: TryOutcome = { failure: "timeout", timedOut: "per-try", delivered: "unknown" };
const REQUEST_TIMEOUT: TryOutcome = { failure: "timeout", timedOut: "request", delivered: "unknown" };
const REFUSED: TryOutcome = { failure: "refused-stream", delivered: "no" };
const OVERFLOW: TryOutcome = { failure: "overflow", delivered: "no" };
const CANCELLED: TryOutcome = { failure: "cancelled", delivered: "unknown" };

const plan = (retryOn: string[], codes: number[] = []) => compileRetryPolicy({ attempts: 3, retryOn, codes });

describe("matchesRetryOn: one condition at a time", () => {
  it.each<[string, TryOutcome, boolean]>([
    ["5xx", status(500), true],
    ["5xx", status(503), true],
    ["5xx", status(599), true],
    ["5xx", status(499), false],
    ["5xx", status(200), false],
    ["5xx", CONNECT_LOST, true],
    ["5xx", RESET, true],
    ["5xx", PER_TRY, true],
    ["5xx", REFUSED, true],
    ["gateway-error", status(502), true],
    ["gateway-error", status(503), true],
    ["gateway-error", status(504), true],
    ["gateway-error", status(500), false],
    ["gateway-error", status(501), false],
    ["gateway-error", CONNECT_NOT_SENT, true],
    ["gateway-error", PER_TRY, true],
    ["connect-failure", CONNECT_NOT_SENT, true],
    ["connect-failure", CONNECT_LOST, true],
    ["connect-failure", RESET, false],
    ["connect-failure", PER_TRY, false],
    ["connect-failure", status(503), false],
    ["reset", RESET, true],
    ["reset", CONNECT_LOST, true],
    ["reset", PER_TRY, true],
    ["reset", status(503), false],
    ["reset-before-request", CONNECT_NOT_SENT, true],
    ["reset-before-request", CONNECT_LOST, false],
    ["reset-before-request", RESET, false],
    ["retriable-4xx", status(409), true],
    ["retriable-4xx", status(429), false],
    ["retriable-4xx", status(400), false],
    ["refused-stream", REFUSED, true],
    ["refused-stream", RESET, false],
    ["retriable-status-codes", status(503), false],
    ["unavailable", status(200, 14), true],
    ["unavailable", status(200, 13), false],
    ["cancelled", status(200, 1), true],
    ["deadline-exceeded", status(200, 4), true],
    ["resource-exhausted", status(200, 8), true],
    ["internal", status(200, 13), true],
    ["envoy-ratelimited", status(429), false],
  ])("%s × %j → %s", (condition, outcome, expected) =>
    expect(matchesRetryOn(plan([condition]), outcome)).toBe(expected),
  );

  it.each([["5xx"], ["gateway-error"], ["reset"], ["connect-failure"]])(
    "%s never retries overflow, cancellation or the request timeout",
    (c) => {
      for (const o of [OVERFLOW, CANCELLED, REQUEST_TIMEOUT]) expect(matchesRetryOn(plan([c]), o)).toBe(false);
    },
  );

  it("listed codes (Gateway API retry.codes) always match; other statuses do not", () => {
    const p = plan([], [500, 503]);
    expect(matchesRetryOn(p, status(500))).toBe(true);
    expect(matchesRetryOn(p, status(503))).toBe(true);
    expect(matchesRetryOn(p, status(502))).toBe(false);
  });

  it("splits Istio comma lists and turns numeric entries into codes", () => {
    const p = compileRetryPolicy({ attempts: 1, retryOn: ["gateway-error, 409", "reset"] });
    expect([...p.conditions].sort()).toEqual(["gateway-error", "reset"]);
    expect([...p.codes]).toEqual([409]);
    expect(matchesRetryOn(p, status(409))).toBe(true);
  });

  it("Istio's default policy retries connection failures and 503, not 500", () => {
    const p = compileRetryPolicy({ ...ISTIO_DEFAULT_RETRY });
    expect(p.maxRetries).toBe(2);
    expect(matchesRetryOn(p, CONNECT_LOST)).toBe(true);
    expect(matchesRetryOn(p, status(503))).toBe(true);
    expect(matchesRetryOn(p, status(500))).toBe(false);
    expect(matchesRetryOn(p, status(200, 14))).toBe(true);
  });
});

const ctx = (over: Partial<RetryContext> = {}): RetryContext => ({
  method: "GET",
  tries: 1,
  bodyReplayable: true,
  ...over,
});

describe("shouldRetry", () => {
  const p = compileRetryPolicy({ attempts: 2, retryOn: ["5xx"] });

  it("attempts counts retries: attempts 2 → a third try is allowed, a fourth is not", () => {
    expect(shouldRetry(p, status(503), ctx({ tries: 1 }))).toEqual({ retry: true });
    expect(shouldRetry(p, status(503), ctx({ tries: 2 }))).toEqual({ retry: true });
    expect(shouldRetry(p, status(503), ctx({ tries: 3 }))).toEqual({ retry: false, reason: "attempts-exhausted" });
  });

  it.each<[string, TryOutcome, Partial<RetryContext>, ReturnType<typeof shouldRetry>]>([
    ["success", status(200), {}, { retry: false, reason: "not-retriable" }],
    ["no retries configured", status(503), {}, { retry: false, reason: "not-retriable" }],
    ["invocation budget", status(503), { maxTries: 1 }, { retry: false, reason: "invocation-limit" }],
    ["deadline passed", status(503), { remainingMs: 0 }, { retry: false, reason: "deadline" }],
    ["streamed body", status(503), { bodyReplayable: false }, { retry: false, reason: "body-not-replayable" }],
    ["POST after a 503", status(503), { method: "POST" }, { retry: false, reason: "non-idempotent" }],
    ["PATCH after a reset", RESET, { method: "patch" }, { retry: false, reason: "non-idempotent" }],
    ["POST when delivery is unknown", CONNECT_LOST, { method: "POST" }, { retry: false, reason: "non-idempotent" }],
    ["POST after a per-try timeout", PER_TRY, { method: "POST" }, { retry: false, reason: "non-idempotent" }],
    ["POST never sent", CONNECT_NOT_SENT, { method: "POST" }, { retry: true }],
    ["PUT after a 503", status(503), { method: "PUT" }, { retry: true }],
    ["DELETE after a reset", RESET, { method: "DELETE" }, { retry: true }],
  ])("%s", (name, outcome, over, expected) => {
    const policy = name === "no retries configured" ? NO_RETRY : p;
    expect(shouldRetry(policy, outcome, ctx(over))).toEqual(expected);
  });

  it("retryNonIdempotent lets POST be retried whatever happened", () => {
    const lax = compileRetryPolicy({ attempts: 2, retryOn: ["5xx"], retryNonIdempotent: true });
    expect(shouldRetry(lax, status(503), ctx({ method: "POST" }))).toEqual({ retry: true });
    expect(shouldRetry(lax, RESET, ctx({ method: "POST" }))).toEqual({ retry: true });
  });

  it.each([
    ["GET", true],
    ["head", true],
    ["OPTIONS", true],
    ["TRACE", true],
    ["PUT", true],
    ["DELETE", true],
    ["POST", false],
    ["PATCH", false],
    ["CONNECT", false],
    ["PROPFIND", false],
  ])("isIdempotentMethod(%s) = %s", (m, expected) => expect(isIdempotentMethod(m)).toBe(expected));
});

describe("nextRetry", () => {
  const p = compileRetryPolicy({ attempts: 5, retryOn: ["5xx"], backoffBaseMs: 100 });

  it("returns the jittered back-off and spends one retry from the budget", () => {
    const budget = createRetryBudget({ percent: 0, minRetriesPerSecond: 0.1, windowMs: 10_000 });
    expect(nextRetry(p, status(503), ctx({ tries: 2 }), budget, 0, fixedRandom(0.999999))).toEqual({
      retry: true,
      delayMs: 300,
    });
    expect(budget.totalRetries).toBe(1);
    expect(nextRetry(p, status(503), ctx({ tries: 2 }), budget, 0, fixedRandom(0))).toEqual({
      retry: false,
      reason: "budget",
    });
  });

  it("gives up when the back-off would outlast the deadline, without spending budget", () => {
    const budget = createRetryBudget();
    expect(nextRetry(p, status(503), ctx({ remainingMs: 50 }), budget, 0, fixedRandom(0.9))).toEqual({
      retry: false,
      reason: "deadline",
    });
    expect(budget.totalRetries).toBe(0);
    expect(nextRetry(p, status(503), ctx({ remainingMs: 50 }), budget, 0, fixedRandom(0.1))).toEqual({
      retry: true,
      delayMs: 10,
    });
  });

  it("does not touch the budget for a non-retriable outcome", () => {
    const budget = createRetryBudget();
    expect(nextRetry(p, status(404), ctx(), budget, 0, fixedRandom(0))).toEqual({
      retry: false,
      reason: "not-retriable",
    });
    expect(budget.totalRetries).toBe(0);
  });
});
