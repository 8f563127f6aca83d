// Rows of `snapshot_chunks`: the compiled snapshot of the latest revision, as the JSON text proxies receive.

/** Below SQLite's 2 MB value limit in Durable Objects, with room to spare. */
const CHUNK_CHARS = 256 * 1024;

export interface StoredSnapshot {
  revision: number;
  json: string;
}

export class SnapshotStore {
  constructor(private readonly sql: SqlStorage) {}

  read(): StoredSnapshot | undefined {
    const head = this.sql.exec<{ r: number | null }>(`SELECT MAX(revision) AS r FROM snapshot_chunks`).one();
    if (head.r === null) return undefined;
    const chunks = this.sql.exec<{ data: string }>(
      `SELECT data FROM snapshot_chunks WHERE revision = ? ORDER BY seq`,
      head.r,
    );
    let json = "";
    for (const chunk of chunks) json += chunk.data;
    return { revision: head.r, json };
  }

  /** Replaces the stored snapshot; only the latest one is kept. */
  write(snapshot: StoredSnapshot): void {
    this.sql.exec(`DELETE FROM snapshot_chunks`);
    const { revision, json } = snapshot;
    for (let seq = 0, at = 0; at < json.length || seq === 0; seq++, at += CHUNK_CHARS) {
      this.sql.exec(
        `INSERT INTO snapshot_chunks (revision, seq, data) VALUES (?, ?, ?)`,
        revision,
        seq,
        json.slice(at, at + CHUNK_CHARS),
      );
    }
  }
}
