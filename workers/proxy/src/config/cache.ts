// The isolate's configuration: last good compiled snapshot in a module global, refreshed in the background.
import { MeshError } from "../../../../shared/errors";
import { parseSnapshotDelta, parseSnapshotReusing, type ValidatedSnapshot } from "../../../../shared/model/snapshot";
import { validateService } from "../../../../shared/model/validate-service";
import type { ProxyEnv, SnapshotAnswer } from "../env";
import { compileConfig, type CompiledConfig } from "./compiled";
import { ejectionReport, receiveHealth } from "../resilience/shared-health";
import { receiveMeshJwks } from "../security/mesh-keys";
import { releaseRpcResult } from "../../../../shared/dispose";

export const WORKER_NAME = "flaremesh-proxy";
/** How long a cold isolate's first request waits for configuration before answering `no_config`. */
export const COLD_LOAD_TIMEOUT_MS = 2000;
/** A load that takes longer counts as failed, so a hung control plane cannot block refreshes forever. */
const LOAD_TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 5000;

interface CacheState {
  /** Random per isolate; made on first use, since workerd refuses randomness at global scope. */
  proxyId: string | null;
  current: CompiledConfig | null;
  /** What `current` was compiled from, for validating the next revision incrementally. */
  validated: ValidatedSnapshot | null;
  /** When the control plane last confirmed `current` (ms). */
  checkedAt: number;
  /** The one refresh in progress (single flight): a load, then its acknowledgement. */
  inflight: Promise<unknown> | null;
  /** The load part of `inflight`, which is all that a cold request waits for. */
  loading: Promise<unknown> | null;
  failures: number;
  /** No new load before this time after a failure (ms). */
  retryAt: number;
  /** Ask for whole snapshots only: set after a delta could not be applied, cleared by the next good load. */
  wholeOnly: boolean;
}

const state: CacheState = {
  proxyId: null,
  current: null,
  validated: null,
  checkedAt: 0,
  inflight: null,
  loading: null,
  failures: 0,
  retryAt: 0,
  wholeOnly: false,
};

/**
 * The configuration to serve this request with. Never waits for the control plane, except in a cold isolate
 * that has none at all, which waits for one load (bounded) and otherwise throws `no_config`.
 */
export function getConfig(
  env: ProxyEnv,
  exec: ExecutionContext,
  refreshMs: number,
): CompiledConfig | Promise<CompiledConfig> {
  const now = Date.now();
  if (state.current !== null) {
    if (now - state.checkedAt >= refreshMs && state.inflight === null && now >= state.retryAt) {
      exec.waitUntil(startLoad(env));
    }
    // Synchronously: a request never waits for anything when the isolate has configuration.
    return state.current;
  }
  if (state.inflight === null) {
    if (now < state.retryAt) throw noConfig();
    exec.waitUntil(startLoad(env));
  }
  return firstLoad();
}

async function firstLoad(): Promise<CompiledConfig> {
  await Promise.race([state.loading, sleep(COLD_LOAD_TIMEOUT_MS)]);
  if (state.current !== null) return state.current;
  throw noConfig();
}

/** The configuration the next request will be served with (null before the first load); never waits. */
export function currentConfig(): CompiledConfig | null {
  return state.current;
}

/** This isolate's proxy id as reported in heartbeats (null before the first load); telemetry labels gauges with it. */
export function currentProxyId(): string | null {
  return state.proxyId;
}

function noConfig(): MeshError {
  return new MeshError("no_config", "the proxy has not loaded configuration from the control plane yet");
}

/**
 * The heartbeat is the poll, so a proxy that just loaded a revision reports it at once with a second call
 * (one per revision change); otherwise the control plane would see it on the old revision until the next
 * request-driven poll, which on a quiet proxy may be long after.
 */
function startLoad(env: ProxyEnv): Promise<unknown> {
  const load = loadOnce(env);
  const refresh = load
    .then((changed) => (changed ? loadOnce(env) : false))
    .finally(() => {
      state.inflight = null;
      state.loading = null;
    });
  state.loading = load;
  state.inflight = refresh;
  return refresh;
}

/** One poll of the control plane. True when it brought a new revision; failures are logged and backed off. */
async function loadOnce(env: ProxyEnv): Promise<boolean> {
  const served = state.current?.revision ?? null;
  state.proxyId ??= crypto.randomUUID();
  try {
    const report = ejectionReport(Date.now());
    const answer = await withTimeout(
      env.CONTROL.getSnapshot({
        proxyId: state.proxyId,
        worker: WORKER_NAME,
        servedRevision: served,
        // Against the revision served, the control plane then sends only the services that changed.
        delta: !state.wholeOnly && state.validated !== null,
        servedGeneratedAt: state.current?.generatedAt ?? null,
        ...(report === null ? {} : { ejections: report.ejections }),
      }),
      LOAD_TIMEOUT_MS,
    );
    report?.acknowledge();
    let next: CompiledConfig | null;
    try {
      receiveHealth(answer.health, Date.now());
      receiveMeshJwks(answer.jwks);
      next = accept(answer, served);
    } finally {
      releaseRpcResult(answer);
    }
    if (next !== null) {
      state.current = next;
      if (next.problems.length > 0)
        console.warn(`flaremesh-proxy: revision ${next.revision}:`, next.problems.join("; "));
    }
    state.checkedAt = Date.now();
    state.failures = 0;
    state.retryAt = 0;
    state.wholeOnly = false;
    return next !== null;
  } catch (err) {
    state.failures++;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (state.failures - 1));
    state.retryAt = Date.now() + delay * (0.5 + Math.random() / 2);
    console.warn(
      `flaremesh-proxy: configuration load failed (${state.failures} in a row), serving revision ${served ?? "none"}:`,
      err instanceof Error ? err.message : String(err),
    );
    return false;
  }
}

/** The newly compiled config, or null when the served one is still current. Throws when the answer is unusable. */
function accept(answer: SnapshotAnswer, served: number | null): CompiledConfig | null {
  const validated = validatedFrom(answer, served);
  if (validated === null) return null;
  const compiled = compileConfig(validated.snapshot);
  state.validated = validated;
  return compiled;
}

/** The answer's revision, validated: from a delta against the served one, or whole; null when still current. */
function validatedFrom(answer: SnapshotAnswer, served: number | null): ValidatedSnapshot | null {
  if (answer.snapshot === null && answer.delta !== undefined && state.validated !== null) {
    const validated = parseSnapshotDelta(answer.delta, state.validated, validateService);
    if (validated === null || validated.snapshot.revision !== answer.revision) {
      // The next load asks for the whole snapshot instead.
      state.wholeOnly = true;
      throw new Error(`revision ${answer.revision}: the delta from revision ${served} could not be applied`);
    }
    return validated;
  }
  if (answer.snapshot === null) {
    if (served !== null && answer.revision === served) return null;
    throw new Error(`control plane sent no snapshot for revision ${answer.revision}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.snapshot);
  } catch {
    throw new Error(`revision ${answer.revision}: snapshot is not JSON`);
  }
  const validated = parseSnapshotReusing(json, state.validated, validateService);
  if (validated === null) throw new Error(`revision ${answer.revision}: snapshot failed validation`);
  return validated;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`control plane did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== null) clearTimeout(timer);
  });
}
