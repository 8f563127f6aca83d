// Holds the request body so that a retry can send it again: buffered up to a bound (64 KiB by default),
// streamed once (and then never retried) beyond it. Linkerd's rule: retries only for bodies that fit a buffer.
import { bodyReplayPlan } from "../../../../shared/resilience/index";

export interface ReplayableBody {
  /** False when the body was streamed: the first try consumed it, so no retry is possible. */
  replayable: boolean;
  /** The body to send with one try. */
  next(): ReadableStream | ArrayBuffer | null;
}

const NO_BODY: ReplayableBody = { replayable: true, next: () => null };

/**
 * `length` is the request's Content-Length header as received (null when absent). A promise only when the body is
 * read into a buffer: a request without one (most) or one streamed once is ready at once.
 */
export function prepareBody(
  request: Request,
  length: string | null,
  maxRetries: number,
  limit: number,
): ReplayableBody | Promise<ReplayableBody> {
  const contentLength = length !== null && /^\d+$/.test(length) ? Number(length) : null;
  const plan = bodyReplayPlan({ hasBody: request.body !== null, contentLength }, maxRetries, limit);
  switch (plan) {
    case "none":
      return NO_BODY;
    case "stream":
      return { replayable: false, next: () => request.body };
    case "buffer":
      return request.arrayBuffer().then((buffer) => ({ replayable: true, next: () => buffer }));
    case "buffer-if-fits":
      return bufferIfFits(request.body!, limit);
  }
}

/** Reads up to `limit + 1` bytes: if the stream ends first, the whole body is buffered; else it streams once. */
async function bufferIfFits(body: ReadableStream<Uint8Array>, limit: number): Promise<ReplayableBody> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      const buffer = concat(chunks, size);
      return { replayable: true, next: () => buffer };
    }
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) break;
  }
  // Too large: what was read goes first, then the rest of the original stream.
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { replayable: false, next: () => rest };
}

function concat(chunks: Uint8Array[], size: number): ArrayBuffer {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out.buffer;
}
