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
  {
    version: 3,
    description: "revision history as changes: a revision stores the resources it created, changed or deleted",
    statements: [
      // One row per resource a revision created or changed (its stored JSON) or deleted (NULL). A revision's
      // resource set is, for each id, its latest row at or before that revision, when not a deletion. Full sets
      // per revision grew the database by the whole mesh on every apply (2.6 MB at 1,000 Services).
      `CREATE TABLE revision_changes (
        id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        json TEXT,
        PRIMARY KEY (id, revision)
      )`,
      // From the full sets (revisions are consecutive): what the previous revision lacked or held otherwise...
      `INSERT INTO revision_changes (id, revision, json)
         SELECT cur.id, cur.revision, cur.json FROM revision_resources cur
         LEFT JOIN revision_resources prev ON prev.revision = cur.revision - 1 AND prev.id = cur.id
         WHERE prev.id IS NULL OR prev.json IS NOT cur.json`,
      // ...and what it held that this revision does not.
      `INSERT INTO revision_changes (id, revision, json)
         SELECT prev.id, r.revision, NULL FROM revisions r
         JOIN revision_resources prev ON prev.revision = r.revision - 1
         LEFT JOIN revision_resources cur ON cur.revision = r.revision AND cur.id = prev.id
         WHERE cur.id IS NULL`,
      `DROP TABLE revision_resources`,
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
