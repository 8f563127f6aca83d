// The mesh JWKS in this isolate: delivered with every configuration poll (off the request path), and
// refreshed on an unknown kid at most once per REFRESH_GAP_MS, bounded by REFRESH_TIMEOUT_MS.
import type { Jwk } from "../../../../shared/security/jwt-claims";
import type { ProxyEnv } from "../env";
import { parseJwks } from "./signature";
import { releaseRpcResult } from "../../../../shared/dispose";

const REFRESH_GAP_MS = 5_000;
const REFRESH_TIMEOUT_MS = 1_000;

const state: { text: string | null; keys: Jwk[]; lastForced: number; inflight: Promise<void> | null } = {
  text: null,
  keys: [],
  lastForced: 0,
  inflight: null,
};

/** Called by the configuration cache with each poll's `jwks`; re-parsed only when the text changed. */
export function receiveMeshJwks(text: unknown): void {
  if (typeof text !== "string" || text === state.text) return;
  const keys = parseJwks(text);
  if (keys === null) {
    console.warn("flaremesh-proxy: the control plane sent an invalid JWKS; keeping the previous keys");
    return;
  }
  state.text = text;
  state.keys = keys;
}

export function meshKeys(): readonly Jwk[] {
  return state.keys;
}

/**
 * After an unknown kid (e.g. a token minted just after a rotation this isolate has not polled yet):
 * one bounded, single-flight, rate-limited call for fresh keys. Returns whether the keys may have changed.
 */
export async function refreshMeshKeys(env: ProxyEnv): Promise<boolean> {
  const now = Date.now();
  if (state.inflight === null) {
    if (now - state.lastForced < REFRESH_GAP_MS || env.CONTROL.getJwks === undefined) return false;
    state.lastForced = now;
    const call = env.CONTROL.getJwks();
    state.inflight = call
      .then((answer) => {
        try {
          receiveMeshJwks(answer.jwks);
        } finally {
          releaseRpcResult(answer);
        }
      })
      .catch((err: unknown) => {
        console.warn("flaremesh-proxy: JWKS refresh failed:", err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        state.inflight = null;
      });
  }
  const before = state.text;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([state.inflight, new Promise<void>((r) => (timer = setTimeout(r, REFRESH_TIMEOUT_MS)))]);
  if (timer !== undefined) clearTimeout(timer);
  return state.text !== before;
}
