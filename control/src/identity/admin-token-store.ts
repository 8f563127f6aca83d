// Rows of `admin_tokens`: API tokens issued through the admin API, stored as digests, revoked by id.
import type { AdminRole } from "../../../shared/security/admin-rbac";

export interface AdminTokenRow {
  id: string;
  role: AdminRole;
  createdAt: string;
  createdBy: string;
  /** ISO 8601, or null for a token that does not expire. */
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  role: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

function fromRow(r: Row): AdminTokenRow {
  return {
    id: r.id,
    role: r.role as AdminRole,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

const COLUMNS = `id, role, created_at, created_by, expires_at, revoked_at, revoked_by`;

export class AdminTokenStore {
  constructor(private readonly sql: SqlStorage) {}

  insert(row: AdminTokenRow, digest: string): void {
    this.sql.exec(
      `INSERT INTO admin_tokens (id, role, digest, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      row.id,
      row.role,
      digest,
      row.createdAt,
      row.createdBy,
      row.expiresAt,
    );
  }

  byDigest(digest: string): AdminTokenRow | undefined {
    const row = this.sql.exec<Row>(`SELECT ${COLUMNS} FROM admin_tokens WHERE digest = ?`, digest).toArray()[0];
    return row && fromRow(row);
  }

  list(): AdminTokenRow[] {
    return this.sql.exec<Row>(`SELECT ${COLUMNS} FROM admin_tokens ORDER BY created_at, id`).toArray().map(fromRow);
  }

  /** Marks the token revoked; false when there is no such token or it already was. */
  revoke(id: string, at: string, by: string): boolean {
    return (
      this.sql.exec(
        `UPDATE admin_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`,
        at,
        by,
        id,
      ).rowsWritten > 0
    );
  }

  exists(id: string): boolean {
    return this.sql.exec(`SELECT 1 FROM admin_tokens WHERE id = ?`, id).toArray().length > 0;
  }
}
