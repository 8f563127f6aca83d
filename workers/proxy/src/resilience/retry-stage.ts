// Retry: runs the per-try stages (breaker → endpoint → upstream) once per try, each with its own copy of the
// body and its own AbortSignal (per-try timeout, request deadline). Failed tries feed outlier detection and are
// retried by the route's policy, within the isolate's retry budget and the platform's invocation limit.
import { MeshError, isMeshError } from "../../../../shared/errors";
import {
  classifyOutcome,
  failureError,
  INVOCATION_BUDGET_HEADER,
  matchesRetryOn,
  nextRetry,
  OVERFLOW_OUTCOME,
  planTries,
  readInvocationBudget,
  recordRequest,
  recordResult,
  remainingBudget,
  tryTimeout,
  type TryOutcome,
} from "../../../../shared/resilience/index";
import type { ProxyContext, StageFactory } from "../context";
import { countEjection, countRetry } from "../telemetry/resilience-metrics";
import { destinationFor } from "./destinations";
import { prepareBody } from "./replay-body";
import { addFlag, resilienceOf, sleep, TimeoutReason } from "./request-state";
import { routePolicy } from "./route-policy";

/** A try that ended without a usable response: the error to answer with if it is the last one. */
interface Failed {
  outcome: TryOutcome;
  error: unknown;
}

export const retry: StageFactory = (config) =>
  async function retry(ctx: ProxyContext, next) {
    const policy = routePolicy(config, ctx.destination, ctx.match!.route);
    const plan = policy.retry;
    const dest = destinationFor(config, ctx.backend!);
    const state = resilienceOf(ctx);
    recordRequest(dest.budget, Date.now());
    // Ingress starts a fresh platform budget; egress inherits what the calling Worker forwarded.
    const budget = readInvocationBudget(ctx.headers.original(INVOCATION_BUDGET_HEADER), ctx.mode);
    const tries = planTries(budget, plan.maxRetries, dest.endpointsAreWorkers);
    const prepared = prepareBody(
      ctx.request,
      ctx.headers.original("content-length"),
      Math.min(plan.maxRetries, tries.maxTries - 1),
      policy.retryBodyLimitBytes,
    );
    const body = prepared instanceof Promise ? await prepared : prepared;
    for (let n = 1; ; n++) {
      ctx.attempts = n;
      ctx.target = null;
      const isRetry = n > 1;
      if (isRetry) {
        dest.activeRetries++;
        countRetry(ctx.backend!.service.model);
      }
      const result = await oneTry(
        ctx,
        next,
        policy.timeouts,
        state.deadlineMs,
        state.requestSignal,
        body.next(),
        tries.childBudget,
      );
      if (isRetry) dest.activeRetries--;
      const outcome = outcomeOf(result);
      const endpointId = triedEndpoint(ctx);
      if (endpointId !== null && dest.outlierConfig !== null) {
        const recorded = recordResult(dest.outlier, endpointId, outcome, Date.now(), dest.outlierConfig);
        if (recorded.ejected !== undefined) countEjection(ctx.backend!.service.model, recorded.ejected);
      }
      if (!matchesRetryOn(plan, outcome)) return finish(ctx, result);
      const decision =
        dest.activeRetries >= dest.maxConcurrentRetries
          ? ({ retry: false, reason: "budget" } as const)
          : nextRetry(
              plan,
              outcome,
              {
                method: ctx.request.method,
                tries: n,
                maxTries: tries.maxTries,
                bodyReplayable: body.replayable,
                remainingMs: state.deadlineMs === null ? undefined : remainingBudget(state.deadlineMs, Date.now()),
              },
              dest.budget,
              Date.now(),
              () => ctx.random(),
            );
      if (!decision.retry) {
        // Envoy's URX: the request would have been retried, but the retry limit or budget said no.
        if (n > 1 || decision.reason === "budget" || decision.reason === "invocation-limit") addFlag(ctx, "URX");
        return finish(ctx, result);
      }
      if (result instanceof Response) await result.body?.cancel();
      await sleep(decision.delayMs, state.requestSignal);
    }
  };

type TryResult = Response | Failed;

async function oneTry(
  ctx: ProxyContext,
  next: () => Promise<Response>,
  timeouts: ReturnType<typeof routePolicy>["timeouts"],
  deadlineMs: number | null,
  requestSignal: AbortSignal | null,
  body: ReadableStream | ArrayBuffer | null,
  childBudget: number,
): Promise<TryResult> {
  const timer = tryTimeout(timeouts, deadlineMs, Date.now());
  // Without a timeout nothing can abort the try: no controller, and no signal for the runtime to watch.
  const controller = timer === null && requestSignal === null ? null : new AbortController();
  const onRequestAbort = () => controller!.abort(requestSignal!.reason);
  if (requestSignal?.aborted) onRequestAbort();
  requestSignal?.addEventListener("abort", onRequestAbort, { once: true });
  const timerId =
    timer === null ? undefined : setTimeout(() => controller!.abort(new TimeoutReason(timer.cause)), timer.ms);
  ctx.upstreamTry = { body, signal: controller?.signal ?? null };
  ctx.headers.set(INVOCATION_BUDGET_HEADER, String(childBudget));
  try {
    return await next();
  } catch (error) {
    return { outcome: errorOutcome(error, controller?.signal ?? null), error };
  } finally {
    if (timerId !== undefined) clearTimeout(timerId);
    requestSignal?.removeEventListener("abort", onRequestAbort);
    ctx.upstreamTry = null;
  }
}

function outcomeOf(result: TryResult): TryOutcome {
  if (result instanceof Response) {
    return classifyOutcome({ response: { status: result.status, grpcStatus: result.headers.get("grpc-status") } });
  }
  return result.outcome;
}

/** What a thrown try means. Mesh decisions that are not about the upstream (no endpoint, misconfiguration) end the request. */
function errorOutcome(error: unknown, signal: AbortSignal | null): TryOutcome {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  if (reason instanceof TimeoutReason) return classifyOutcome({ error, timedOut: reason.cause });
  if (isMeshError(error)) {
    if (error.code === "circuit_open") return OVERFLOW_OUTCOME;
    // With the runtime's error attached, a real try that failed; without, the proxy could not send at all
    // (no binding, unusable URL): not the endpoint's fault and pointless to retry, like the other mesh decisions.
    if (error.code === "upstream_unavailable" && error.cause !== undefined)
      return classifyOutcome({ error: error.cause });
    return { failure: "cancelled", delivered: "no" };
  }
  // Anything else is a bug in a later stage, not an upstream failure: never retried, answered 500 by rescue.
  return { failure: "cancelled", delivered: "no" };
}

/** The last try's answer: its response, or the mesh error for its failure (with the response flag). */
function finish(ctx: ProxyContext, result: TryResult): Response {
  if (result instanceof Response) return result;
  const { outcome, error } = result;
  const mapped = failureError(outcome.failure ?? "reset");
  if (isMeshError(error)) {
    // Its message already names the endpoint and service; the flag says how it failed.
    if (error.code === "upstream_unavailable" && error.cause !== undefined) addFlag(ctx, mapped.flag);
    throw error;
  }
  if (outcome.failure !== "timeout") throw error;
  addFlag(ctx, mapped.flag);
  const what = ctx.upstreamEndpoint === null ? ctx.destination.key : `endpoint ${ctx.upstreamEndpoint}`;
  const tries = `${ctx.attempts} ${ctx.attempts === 1 ? "try" : "tries"}`;
  throw new MeshError(mapped.code, `${what} did not answer in time (${tries})`);
}

/** The endpoint the endpoint stage chose for the try that just ended (null: the try never got that far). */
function triedEndpoint(ctx: ProxyContext): string | null {
  return ctx.target?.endpoint.id ?? null;
}
