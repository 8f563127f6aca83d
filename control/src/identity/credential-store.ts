// Rows of `workload_credentials`: one credential per workload, stored as the digest of its secret.

export interface CredentialRow {
  namespace: string;
  service: string;
  createdAt: string;
  createdBy: string;
}

export class CredentialStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Creates or replaces the workload's credential (the old secret stops working at once). */
  put(row: CredentialRow, digest: string): void {
    this.sql.exec(
      `INSERT INTO workload_credentials (namespace, service, digest, created_at, created_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (namespace, service) DO UPDATE SET digest = excluded.digest, created_at = excluded.created_at,
       created_by = excluded.created_by`,
      row.namespace,
      row.service,
      digest,
      row.createdAt,
      row.createdBy,
    );
  }

  byDigest(digest: string): CredentialRow | undefined {
    const row = this.sql
      .exec<{ namespace: string; service: string; created_at: string; created_by: string }>(
        `SELECT namespace, service, created_at, created_by FROM workload_credentials WHERE digest = ?`,
        digest,
      )
      .toArray()[0];
    return (
      row && { namespace: row.namespace, service: row.service, createdAt: row.created_at, createdBy: row.created_by }
    );
  }

  list(): CredentialRow[] {
    return this.sql
      .exec<{ namespace: string; service: string; created_at: string; created_by: string }>(
        `SELECT namespace, service, created_at, created_by FROM workload_credentials ORDER BY namespace, service`,
      )
      .toArray()
      .map((r) => ({ namespace: r.namespace, service: r.service, createdAt: r.created_at, createdBy: r.created_by }));
  }

  delete(namespace: string, service: string): boolean {
    return (
      this.sql.exec(`DELETE FROM workload_credentials WHERE namespace = ? AND service = ?`, namespace, service)
        .rowsWritten > 0
    );
  }
}
