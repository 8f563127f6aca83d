// Proxy heartbeats collected in the isolate and written to the ControlPlane in batches, at most about once a second.
import type { Heartbeat } from "../storage/heartbeat-store";

export const FLUSH_INTERVAL_MS = 1000;
/** Bounds the memory of which revision each proxy was last reported with. */
const MAX_TRACKED_PROXIES = 10_000;

export type SendHeartbeats = (batch: Heartbeat[]) => Promise<unknown>;

export class HeartbeatBuffer {
  private readonly pending = new Map<string, Heartbeat>();
  /** The served revision the ControlPlane last heard for each proxy (or is hearing now). */
  private readonly reported = new Map<string, number | null>();
  private lastFlush = Number.NEGATIVE_INFINITY;
  private flushing: Promise<void> | undefined;
  private again = false;

  /**
   * Buffers one heartbeat. Returns true when it should be flushed now: the proxy is new, its revision
   * changed, or the last flush is a second old.
   */
  record(beat: Heartbeat, now: number): boolean {
    this.pending.set(beat.proxyId, beat);
    const known = this.reported.has(beat.proxyId) && this.reported.get(beat.proxyId) === beat.servedRevision;
    return !known || now - this.lastFlush >= FLUSH_INTERVAL_MS;
  }

  /** Sends what is pending. One flush at a time: a request during a flush is folded into one more flush after it. */
  flush(send: SendHeartbeats, now: number): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    const batch = [...this.pending.values()];
    this.pending.clear();
    if (batch.length === 0) return Promise.resolve();
    this.lastFlush = now;
    if (this.reported.size > MAX_TRACKED_PROXIES) this.reported.clear();
    const previous = batch.map((beat) => [beat.proxyId, this.reported.get(beat.proxyId)] as const);
    for (const beat of batch) this.reported.set(beat.proxyId, beat.servedRevision);
    const flushing = send(batch)
      .then(() => undefined)
      .catch((err: unknown) => {
        console.warn("control: heartbeat flush failed; will retry with the next poll", err);
        for (const [proxyId, revision] of previous) {
          if (revision === undefined) this.reported.delete(proxyId);
          else this.reported.set(proxyId, revision);
        }
        for (const beat of batch) if (!this.pending.has(beat.proxyId)) this.pending.set(beat.proxyId, beat);
      })
      .finally(() => {
        this.flushing = undefined;
      })
      .then(() => {
        if (!this.again) return;
        this.again = false;
        return this.flush(send, Date.now());
      });
    this.flushing = flushing;
    return flushing;
  }
}

/** The isolate-wide buffer used by ProxyApi. */
export const heartbeatBuffer = new HeartbeatBuffer();
