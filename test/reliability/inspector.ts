// The V8 inspector of each Worker isolate in the local mesh: force a full GC and read the JS heap in use.

interface Target {
  id: string;
  title: string;
  webSocketDebuggerUrl: string;
}

/** The inspectable isolates (one per Worker). */
export async function inspectorTargets(port: number): Promise<Target[]> {
  const res = await fetch(`http://127.0.0.1:${port}/json/list`);
  return (await res.json()) as Target[];
}

/** Runs inspector commands on one isolate, in order; resolves with each result. */
async function commands(url: string, calls: { method: string; params?: object }[]): Promise<unknown[]> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`inspector ${url}: cannot connect`)), { once: true });
  });
  try {
    const results: unknown[] = [];
    for (const [i, call] of calls.entries()) {
      const id = i + 1;
      const answer = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`inspector ${call.method}: no answer`)), 30_000);
        const onMessage = (event: MessageEvent) => {
          const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
          if (message.id !== id) return;
          clearTimeout(timer);
          ws.removeEventListener("message", onMessage);
          if (message.error) reject(new Error(`inspector ${call.method}: ${JSON.stringify(message.error)}`));
          else resolve(message.result);
        };
        ws.addEventListener("message", onMessage);
      });
      ws.send(JSON.stringify({ id, method: call.method, params: call.params ?? {} }));
      results.push(await answer);
    }
    return results;
  } finally {
    ws.close();
  }
}

/** JS heap in use (MiB) per isolate after a full GC, keyed by the inspector's title (the Worker). */
export async function heapAfterGc(port: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const target of await inspectorTargets(port)) {
    // Only the mesh's own Workers (`core:user:<name>`), not Miniflare's internal services.
    if (!target.id.startsWith("core:user:")) continue;
    const results = await commands(target.webSocketDebuggerUrl, [
      { method: "HeapProfiler.enable" },
      // A heap snapshot starts with a full GC (workerd does not answer HeapProfiler.collectGarbage).
      { method: "HeapProfiler.takeHeapSnapshot", params: { reportProgress: false } },
      { method: "Runtime.getHeapUsage" },
    ]);
    const usage = results[2];
    out[target.id.slice("core:user:".length)] = (usage as { usedSize: number }).usedSize / 2 ** 20;
  }
  return out;
}
