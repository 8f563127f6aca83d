// Decides whether a failed try is retried: Envoy/Istio `retryOn` conditions, attempts, deadline,
// idempotency and body replay rules, then back-off and the retry budget.
import { RESILIENCE_DEFAULTS } from "../model/resilience";
import { backoffDelay } from "./backoff";
import type { TryOutcome } from "./outcome";
import type { Random01 } from "./random";
import { tryWithdrawRetry, type RetryBudgetState } from "./retry-budget";

/** What a route/service/mesh retry setting looks like (snapshot `RetryModel` and `RetryPolicyModel` fit). */
export interface RetryPolicyInput {
  attempts: number;
  retryOn?: readonly string[];
  codes?: readonly number[];
  perTryTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  backoffMinMs?: number;
  retryNonIdempotent?: boolean;
}

/** A retry policy compiled once per config revision. */
export interface RetryPlan {
  /** Retries, not tries. */
  readonly maxRetries: number;
  readonly conditions: ReadonlySet<string>;
  /** Always retriable statuses (`codes` plus numeric `retryOn` entries). */
  readonly codes: ReadonlySet<number>;
  readonly perTryTimeoutMs: number | undefined;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number; readonly minMs: number };
  readonly retryNonIdempotent: boolean;
}

export const NO_RETRY: RetryPlan = compileRetryPolicy(undefined);

/** Normalizes a policy: splits comma lists, moves numeric `retryOn` entries to codes, fills back-off defaults. */
export function compileRetryPolicy(policy: RetryPolicyInput | undefined): RetryPlan {
  const conditions = new Set<string>();
  const codes = new Set<number>(policy?.codes ?? []);
  for (const entry of policy?.retryOn ?? []) {
    for (const raw of entry.split(",")) {
      const item = raw.trim();
      if (/^[1-5]\d\d$/.test(item)) codes.add(Number(item));
      else if (item !== "") conditions.add(item);
    }
  }
  const baseMs = policy?.backoffBaseMs ?? RESILIENCE_DEFAULTS.backoffBaseMs;
  return {
    maxRetries: Math.max(0, Math.floor(policy?.attempts ?? 0)),
    conditions,
    codes,
    perTryTimeoutMs: policy?.perTryTimeoutMs,
    backoff: {
      baseMs,
      maxMs: policy?.backoffMaxMs ?? baseMs * RESILIENCE_DEFAULTS.backoffMaxFactor,
      minMs: policy?.backoffMinMs ?? 0,
    },
    retryNonIdempotent: policy?.retryNonIdempotent ?? false,
  };
}

// RFC 9110 §9.2.2: the idempotent methods (the safe ones plus PUT and DELETE).
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

// gRPC status codes named by Envoy's `x-envoy-retry-grpc-on` conditions.
const GRPC: Record<string, number> = {
  cancelled: 1,
  "deadline-exceeded": 4,
  "resource-exhausted": 8,
  internal: 13,
  unavailable: 14,
};

/**
 * Whether the outcome matches one of the policy's conditions (Envoy semantics: `5xx` and `gateway-error`
 * also cover connection failures, resets and per-try timeouts; `reset` covers every connection-level
 * failure; `retriable-4xx` is 409; listed codes always match).
 */
export function matchesRetryOn(plan: RetryPlan, outcome: TryOutcome): boolean {
  const c = plan.conditions;
  switch (outcome.failure) {
    case undefined:
      break;
    case "overflow":
    case "cancelled":
      return false;
    case "timeout":
      return outcome.timedOut !== "request" && (c.has("5xx") || c.has("gateway-error") || c.has("reset"));
    case "connect-failure":
    case "reset":
    case "refused-stream": {
      if (c.has("5xx") || c.has("gateway-error") || c.has("reset")) return true;
      if (c.has("reset-before-request") && outcome.delivered === "no") return true;
      if (outcome.failure === "connect-failure") return c.has("connect-failure");
      return outcome.failure === "refused-stream" && c.has("refused-stream");
    }
  }
  const status = outcome.status;
  if (status !== undefined) {
    if (plan.codes.has(status)) return true;
    if (c.has("5xx") && status >= 500 && status <= 599) return true;
    if (c.has("gateway-error") && (status === 502 || status === 503 || status === 504)) return true;
    if (c.has("retriable-4xx") && status === 409) return true;
  }
  if (outcome.grpcStatus !== undefined) {
    for (const [name, code] of Object.entries(GRPC)) if (code === outcome.grpcStatus && c.has(name)) return true;
  }
  return false;
}

export interface RetryContext {
  method: string;
  /** Tries already made for this request, the failed one included (≥ 1). */
  tries: number;
  /** From `planTries` (invocation budget); absent = no extra cap. */
  maxTries?: number;
  /** The request body can be sent again (no body, or buffered within the bound). */
  bodyReplayable: boolean;
  /** Milliseconds left before the request deadline; absent = no request timeout. */
  remainingMs?: number;
}

export type NoRetryReason =
  | "not-retriable"
  | "attempts-exhausted"
  | "invocation-limit"
  | "deadline"
  | "non-idempotent"
  | "body-not-replayable"
  | "budget";

export type RetryDecision = { retry: true } | { retry: false; reason: NoRetryReason };

/**
 * Pure decision, without back-off or budget. A non-idempotent request is retried only when the upstream
 * certainly did not get it (`delivered: "no"`) unless the policy says `retryNonIdempotent`.
 */
export function shouldRetry(plan: RetryPlan, outcome: TryOutcome, ctx: RetryContext): RetryDecision {
  if (!matchesRetryOn(plan, outcome)) return { retry: false, reason: "not-retriable" };
  if (ctx.tries >= plan.maxRetries + 1) return { retry: false, reason: "attempts-exhausted" };
  if (ctx.maxTries !== undefined && ctx.tries >= ctx.maxTries) return { retry: false, reason: "invocation-limit" };
  if (ctx.remainingMs !== undefined && ctx.remainingMs <= 0) return { retry: false, reason: "deadline" };
  if (!plan.retryNonIdempotent && !isIdempotentMethod(ctx.method) && outcome.delivered !== "no") {
    return { retry: false, reason: "non-idempotent" };
  }
  if (!ctx.bodyReplayable) return { retry: false, reason: "body-not-replayable" };
  return { retry: true };
}

/**
 * The whole per-try step: `shouldRetry`, then a back-off that must end before the deadline, then one
 * withdrawal from the retry budget (last, so the budget pays only for retries that really happen).
 */
export function nextRetry(
  plan: RetryPlan,
  outcome: TryOutcome,
  ctx: RetryContext,
  budget: RetryBudgetState,
  nowMs: number,
  random01: Random01,
): { retry: true; delayMs: number } | { retry: false; reason: NoRetryReason } {
  const decision = shouldRetry(plan, outcome, ctx);
  if (!decision.retry) return decision;
  const delayMs = backoffDelay(ctx.tries, plan.backoff, random01);
  if (ctx.remainingMs !== undefined && delayMs >= ctx.remainingMs) return { retry: false, reason: "deadline" };
  if (!tryWithdrawRetry(budget, nowMs)) return { retry: false, reason: "budget" };
  return { retry: true, delayMs };
}
