// Storage schema migrations from the previous schema: an object whose database stopped at the previous version,
// with data in it, is started by the current code; the data survives and the new tables work.
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../control/src/storage/schema";

type Row = Record<string, SqlStorageValue>;

const LATEST = MIGRATIONS.at(-1)!.version;
const PREVIOUS = LATEST - 1;

/** The tables each released migration step creates, read from its statements. */
function tablesUpTo(version: number): string[] {
  return MIGRATIONS.filter((m) => m.version <= version).flatMap((m) =>
    m.statements.flatMap((s) => /^\s*CREATE TABLE (\w+)/i.exec(s)?.[1] ?? []),
  );
}

describe(`schema migration from version ${PREVIOUS} to ${LATEST}`, () => {
  it.skipIf(PREVIOUS < 1)("keeps every row of the previous schema and adds the new tables", async () => {
    // A separate object, so the shared one other tests use keeps its schema.
    const stub = env.CONTROL_PLANE.getByName(`migration-from-v${PREVIOUS}`);
    const documents = ["one", "two"].map((n) => ({
      apiVersion: "flaremesh.dev/v1alpha1",
      kind: "Service",
      metadata: { name: `migrated-${n}` },
      spec: { endpoints: [{ url: "http://127.0.0.1:9001" }] },
    }));
    const oldTables = tablesUpTo(PREVIOUS);
    const newTables = tablesUpTo(LATEST).filter((t) => !oldTables.includes(t));
    expect(oldTables.length).toBeGreaterThan(0);

    // Real data, written by the real code: two revisions.
    const dump = await runInDurableObject(stub, (instance, state) => {
      for (const doc of documents) {
        const applied = instance.apply([doc], { actor: "migration-test" });
        if (!applied.ok) throw new Error(JSON.stringify(applied));
      }
      const rows: Record<string, Row[]> = {};
      for (const table of oldTables) rows[table] = state.storage.sql.exec<Row>(`SELECT * FROM ${table}`).toArray();
      // Then the database is taken back to the previous schema with exactly that data in it.
      state.storage.transactionSync(() => {
        const tables = state.storage.sql
          .exec<{ name: string }>(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`,
          )
          .toArray();
        for (const { name } of tables) state.storage.sql.exec(`DROP TABLE ${name}`);
        state.storage.sql.exec(`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
        for (const migration of MIGRATIONS.filter((m) => m.version <= PREVIOUS)) {
          for (const statement of migration.statements) state.storage.sql.exec(statement);
          state.storage.sql.exec(`INSERT INTO schema_version VALUES (?, ?)`, migration.version, "2025-01-01T00:00:00Z");
        }
        for (const [table, list] of Object.entries(rows)) {
          for (const row of list) {
            const columns = Object.keys(row);
            state.storage.sql.exec(
              `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
              ...columns.map((c) => row[c]),
            );
          }
        }
      });
      return rows;
    });
    expect(dump["resources"]).toHaveLength(2);

    // The current code starts on the old database: its constructor migrates.
    await evictDurableObject(stub);
    const after = await runInDurableObject(stub, (instance, state) => {
      const sql = state.storage.sql;
      const versions = sql.exec<{ version: number }>(`SELECT version FROM schema_version ORDER BY version`).toArray();
      const rows: Record<string, Row[]> = {};
      for (const table of oldTables) rows[table] = sql.exec<Row>(`SELECT * FROM ${table}`).toArray();
      const present = sql
        .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .toArray()
        .map((t) => t.name);
      return {
        versions: versions.map((v) => v.version),
        rows,
        present,
        list: instance.list(),
        history: instance.revisions(),
      };
    });
    expect(after.versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(after.rows).toEqual(dump);
    for (const table of newTables) expect(after.present).toContain(table);
    expect(after.list.ok && after.list.value.items.map((r) => r.metadata.name).sort()).toEqual([
      "migrated-one",
      "migrated-two",
    ]);
    expect(after.history.ok && after.history.value.items.map((r) => r.revision)).toEqual([0, 1, 2]);

    // The migrated object keeps working: a new revision on top of the old ones, and the new tables in use.
    const next = await runInDurableObject(stub, (instance) => {
      const applied = instance.apply([{ ...documents[0]!, metadata: { name: "migrated-three" } }], {
        actor: "migration-test",
      });
      return applied.ok ? applied.value.revision : -1;
    });
    expect(next).toBe(3);
    const credential = await runInDurableObject(stub, (instance) =>
      instance.createCredential("default", "migrated-workload", "migration-test"),
    );
    expect(credential.ok).toBe(true);
  });
});
