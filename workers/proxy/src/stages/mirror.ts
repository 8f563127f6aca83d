// Mirror: fire-and-forget copies of the request to shadow services; they never affect the response.
// A request body is mirrored only when it fits MIRROR_BODY_LIMIT: the mirror reads a tee of it (Request.clone)
// and stops reading past the limit, so the client's body is never held back and never buffered unboundedly.
import type { MirrorModel } from "../../../../shared/model/snapshot";
import { endpointsFor } from "../config/compiled";
import type { ProxyContext, StageFactory } from "../context";
import { pickEndpoint } from "../endpoint/pick";
import { endpointFailure, sendToEndpoint, type OutboundRequest } from "../endpoint/send";

/** Largest request body a mirror copies (64 KiB); larger bodies are not mirrored (and are counted). */
export const MIRROR_BODY_LIMIT = 64 * 1024;

/** Per isolate, for logs and metrics: mirror copies sent, and skipped because the body was too large. */
export const mirrorCounters = { sent: 0, skippedLargeBody: 0 };

export const mirror: StageFactory = (config) =>
  async function mirror(ctx: ProxyContext, next) {
    const mirrors = ctx.match!.route.mirrors;
    if (mirrors.length === 0) return next();
    const chosen = mirrors.filter((m) => ctx.random() * 100 < m.percent);
    if (chosen.length === 0) return next();
    let body: Promise<ArrayBuffer | null> = Promise.resolve(null);
    if (ctx.request.body !== null) {
      const declared = Number(ctx.headers.original("content-length") ?? NaN);
      if (declared > MIRROR_BODY_LIMIT) {
        skipped(ctx, chosen.length, `a ${declared}-byte body`);
        return next();
      }
      // The clone tees the body: the original stays readable for the upstream (and any retry).
      body = readBounded(ctx.request.clone().body!, MIRROR_BODY_LIMIT);
    }
    const shadows = body.then(async (bytes) => {
      if (bytes === null && ctx.request.body !== null) return skipped(ctx, chosen.length, "a body over the limit");
      await Promise.all(chosen.map((m) => shadow(config, ctx, m, bytes)));
    });
    ctx.exec.waitUntil(shadows.catch(() => undefined));
    return next();
  };

type Config = Parameters<StageFactory>[0];

async function shadow(config: Config, ctx: ProxyContext, m: MirrorModel, body: ArrayBuffer | null): Promise<void> {
  const service = config.services.get(m.service);
  const set = service ? endpointsFor(service, m.subset) : null;
  const endpoint = service && set ? pickEndpoint(set, service.loadBalancer, ctx, { issueCookie: false }) : null;
  if (!service || !endpoint) return;
  mirrorCounters.sent++;
  const out: OutboundRequest = {
    method: ctx.request.method,
    scheme: ctx.url.protocol.slice(0, -1),
    // Istio's convention, so that a shadow service can tell mirrored traffic apart.
    host: shadowHost(ctx.upstreamHost),
    path: ctx.upstreamPath,
    search: ctx.url.search,
    headers: ctx.headers.toHeaders(),
    body,
  };
  let res: Response;
  try {
    res = await sendToEndpoint(ctx.env, service.key, endpoint, out);
  } catch (err) {
    throw endpointFailure(err, null, service.key, endpoint);
  }
  await res.body?.cancel();
}

/** Envoy's shadow authority: `-shadow` appended to the host name, before any port (`a.localhost-shadow:8787`). */
export function shadowHost(authority: string): string {
  const port = /:\d+$/.exec(authority);
  return port === null ? `${authority}-shadow` : `${authority.slice(0, port.index)}-shadow${port[0]}`;
}

function skipped(ctx: ProxyContext, count: number, why: string): void {
  mirrorCounters.skippedLargeBody += count;
  console.warn(`flaremesh-proxy: mirror of ${ctx.match!.route.id} skipped: ${why} (limit ${MIRROR_BODY_LIMIT} bytes)`);
}

/** The whole stream when it has at most `limit` bytes, else null (reading stops and the tee branch is cancelled). */
async function readBounded(stream: ReadableStream<Uint8Array>, limit: number): Promise<ArrayBuffer | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out.buffer;
}
