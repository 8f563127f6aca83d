// The ControlPlane's SQLite schema, written down as ordered migrations and applied once per object start.

/** One schema step. Versions are consecutive from 1; a step never changes once released. */
export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "resources, revision history, compiled snapshot, proxy heartbeats",
    statements: [
      // The current resource set. `json` is the stored resource, server fields included.
      `CREATE TABLE resources (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        json TEXT NOT NULL,
        resource_version TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX resources_by_kind ON resources (kind, namespace, name)`,
      // One row per revision; revision 0 is the empty mesh.
      `CREATE TABLE revisions (
        revision INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        summary TEXT NOT NULL
      )`,
      // The complete resource set of every revision, one row per resource so that no value outgrows
      // SQLite's row limit; rollback reads it back verbatim.
      `CREATE TABLE revision_resources (
        revision INTEGER NOT NULL,
        id TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (revision, id)
      )`,
      // The compiled snapshot of the latest revision, split into chunks below the row size limit.
      `CREATE TABLE snapshot_chunks (
        revision INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (revision, seq)
      )`,
      `CREATE TABLE proxy_heartbeats (
        proxy_id TEXT PRIMARY KEY,
        worker TEXT NOT NULL,
        served_revision INTEGER,
        last_seen TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    description: "mesh CA signing keys, workload credentials, admin API tokens",
    statements: [
      // One row per CA generation. The private key is AES-GCM sealed (control/src/identity/key-encryption.ts)
      // and set to NULL once the key is superseded; the public JWK and root stay for the overlap window.
      `CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        public_jwk TEXT NOT NULL,
        certificate TEXT NOT NULL,
        private_key TEXT,
        private_iv TEXT,
        created_at INTEGER NOT NULL,
        not_after INTEGER NOT NULL,
        superseded_at INTEGER
      )`,
      // Only the SHA-256 digest of each secret is stored; the secret is shown once, when issued.
      `CREATE TABLE workload_credentials (
        namespace TEXT NOT NULL,
        service TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        PRIMARY KEY (namespace, service)
      )`,
      `CREATE TABLE admin_tokens (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        revoked_by TEXT
      )`,
    ],
  },
];

/** Brings the database to the latest schema version; returns it. Call inside `transactionSync`. */
export function migrate(sql: SqlStorage, now: string): number {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const row = sql.exec<{ v: number | null }>(`SELECT MAX(version) AS v FROM schema_version`).one();
  let current = row.v ?? 0;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    if (migration.version !== current + 1) {
      throw new Error(`schema migration ${migration.version} does not follow ${current}`);
    }
    for (const statement of migration.statements) sql.exec(statement);
    sql.exec(`INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`, migration.version, now);
    current = migration.version;
  }
  return current;
}
