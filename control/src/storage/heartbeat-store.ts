// Rows of `proxy_heartbeats`: which proxy serves which revision, as last reported through ProxyApi.

export interface Heartbeat {
  proxyId: string;
  worker: string;
  servedRevision: number | null;
  /** ISO 8601. */
  lastSeen: string;
}

export class HeartbeatStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Records each heartbeat unless a newer one is already stored for that proxy. */
  upsert(batch: readonly Heartbeat[]): void {
    for (const beat of batch) {
      this.sql.exec(
        `INSERT INTO proxy_heartbeats (proxy_id, worker, served_revision, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (proxy_id) DO UPDATE SET
           worker = excluded.worker, served_revision = excluded.served_revision, last_seen = excluded.last_seen
         WHERE excluded.last_seen >= proxy_heartbeats.last_seen`,
        beat.proxyId,
        beat.worker,
        beat.servedRevision,
        beat.lastSeen,
      );
    }
  }

  /** Proxies seen at or after `since` (ISO 8601), ordered by id. */
  seenSince(since: string): Heartbeat[] {
    return this.sql
      .exec<{ proxy_id: string; worker: string; served_revision: number | null; last_seen: string }>(
        `SELECT proxy_id, worker, served_revision, last_seen FROM proxy_heartbeats
         WHERE last_seen >= ? ORDER BY proxy_id`,
        since,
      )
      .toArray()
      .map((row) => ({
        proxyId: row.proxy_id,
        worker: row.worker,
        servedRevision: row.served_revision,
        lastSeen: row.last_seen,
      }));
  }

  /** Forgets proxies not seen since `before` (ISO 8601). */
  prune(before: string): void {
    this.sql.exec(`DELETE FROM proxy_heartbeats WHERE last_seen < ?`, before);
  }
}
