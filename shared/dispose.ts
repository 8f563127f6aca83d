// Results of Workers RPC calls carry a disposer (`Symbol.dispose`); workerd warns about every one never called.
const DISPOSE = (Symbol as unknown as { dispose?: symbol }).dispose;

/** Releases an RPC result once its data has been read (a no-op for plain data, but the runtime tracks it). */
export function releaseRpcResult(result: unknown): void {
  if (DISPOSE === undefined || result === null || typeof result !== "object") return;
  const dispose = (result as Record<symbol, unknown>)[DISPOSE];
  if (typeof dispose === "function") (dispose as () => void).call(result);
}
