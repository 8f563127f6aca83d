// httpbin `/stream/{n}` (JSON lines, chunked) and `/sse` (server-sent events ~100 ms apart).

import type { Identity } from "../../lib/json-response";
import { describeGet } from "./echo";

const MAX_LINES = 100;
const SSE_INTERVAL_MS = 100;
const MAX_EVENTS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Writes `produce()`'s chunks to a streamed body; the work outlives the handler through `waitUntil`. */
function streamed(
  ctx: ExecutionContext,
  contentType: string,
  produce: (write: (s: string) => Promise<void>) => Promise<void>,
): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const work = produce((s) => writer.write(encoder.encode(s)))
    .then(() => writer.close())
    .catch(() => writer.abort().catch(() => undefined));
  ctx.waitUntil(work);
  return new Response(readable, { headers: { "content-type": contentType, "cache-control": "no-cache" } });
}

/** `n` lines of JSON, each the `/get` echo with an `id` and the service/version. */
export function streamLines(request: Request, env: Identity, ctx: ExecutionContext, n: number): Response {
  const count = Math.max(0, Math.min(MAX_LINES, n));
  const base = { service: env.SERVICE, version: env.VERSION, ...describeGet(request) };
  return streamed(ctx, "application/x-ndjson", async (write) => {
    for (let id = 0; id < count; id++) {
      await write(`${JSON.stringify({ id, ...base })}\n`);
      await sleep(0);
    }
  });
}

/** `count` events (default 5) named `message`, then one named `done`. */
export function serverSentEvents(env: Identity, ctx: ExecutionContext, count: number): Response {
  const total = Math.max(1, Math.min(MAX_EVENTS, count));
  return streamed(ctx, "text/event-stream; charset=utf-8", async (write) => {
    for (let id = 0; id < total; id++) {
      const data = JSON.stringify({ id, service: env.SERVICE, version: env.VERSION, time: new Date().toISOString() });
      await write(`id: ${id}\nevent: message\ndata: ${data}\n\n`);
      await sleep(SSE_INTERVAL_MS);
    }
    await write(`event: done\ndata: ${JSON.stringify({ service: env.SERVICE, version: env.VERSION })}\n\n`);
  });
}
