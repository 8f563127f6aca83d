// Storage schema migrations from the previous schema: an object whose database stopped at the previous version,
// with data in it, is started by the current code; the data survives (tables the step replaces: their content,
// as the code reads it) and the new tables work.
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../control/src/storage/schema";
import { RevisionStore } from "../../control/src/storage/revision-store";
import { resourceId } from "../../shared/resources/resource";

type Row = Record<string, SqlStorageValue>;

const LATEST = MIGRATIONS.at(-1)!.version;
const PREVIOUS = LATEST - 1;

/** The tables a migration step creates or drops, read from its statements. */
const tablesIn = (version: number, verb: "CREATE" | "DROP"): string[] =>
  MIGRATIONS.filter((m) => m.version === version).flatMap((m) =>
    m.statements.flatMap((s) => new RegExp(`^\\s*${verb} TABLE (\\w+)`, "i").exec(s)?.[1] ?? []),
  );

/** The tables the schema has after the migration steps up to `version`. */
function tablesUpTo(version: number): string[] {
  const tables: string[] = [];
  for (const m of MIGRATIONS.filter((step) => step.version <= version)) {
    tables.push(...tablesIn(m.version, "CREATE"));
    for (const dropped of tablesIn(m.version, "DROP")) tables.splice(tables.indexOf(dropped), 1);
  }
  return tables;
}

/**
 * Tables a step replaced, as the code before it wrote them, derived from what the current code reads:
 * `revision_resources` held each revision's complete resource set (replaced by `revision_changes` in version 3).
 */
const LEGACY_ROWS: Record<string, (sql: SqlStorage) => Row[]> = {
  revision_resources: (sql) => {
    const history = new RevisionStore(sql);
    return history
      .list()
      .flatMap(({ revision }) =>
        history.content(revision).map((r) => ({ revision, id: resourceId(r), json: JSON.stringify(r) })),
      );
  },
};

describe(`schema migration from version ${PREVIOUS} to ${LATEST}`, () => {
  it.skipIf(PREVIOUS < 1)("keeps what the previous schema held and adds the new tables", async () => {
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
    // Tables the latest step replaces: their rows are gone by design, what they held is checked below.
    const kept = oldTables.filter((t) => tablesUpTo(LATEST).includes(t));
    expect(oldTables.length).toBeGreaterThan(0);

    // Real data, written by the real code: five revisions, with a change and a deletion among them.
    const dump = await runInDurableObject(stub, (instance, state) => {
      const apply = (doc: unknown) => {
        const applied = instance.apply([doc], { actor: "migration-test" });
        if (!applied.ok) throw new Error(JSON.stringify(applied));
      };
      apply(documents[0]);
      apply({ ...documents[0]!, metadata: { name: "migrated-gone" } });
      apply({ ...documents[0]!, spec: { endpoints: [{ url: "http://127.0.0.1:9002" }] } });
      const deleted = instance.delete("Service", "default", "migrated-gone", "migration-test");
      if (!deleted.ok) throw new Error(JSON.stringify(deleted));
      apply(documents[1]);
      const rows: Record<string, Row[]> = {};
      for (const table of oldTables) {
        const legacy = LEGACY_ROWS[table];
        rows[table] = legacy
          ? legacy(state.storage.sql)
          : state.storage.sql.exec<Row>(`SELECT * FROM ${table}`).toArray();
      }
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
      for (const table of kept) rows[table] = sql.exec<Row>(`SELECT * FROM ${table}`).toArray();
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
    expect(after.rows).toEqual(Object.fromEntries(kept.map((t) => [t, dump[t]])));
    for (const table of newTables) expect(after.present).toContain(table);
    expect(after.list.ok && after.list.value.items.map((r) => r.metadata.name).sort()).toEqual([
      "migrated-one",
      "migrated-two",
    ]);
    expect(after.history.ok && after.history.value.items.map((r) => r.revision)).toEqual([0, 1, 2, 3, 4, 5]);

    // The migrated object keeps working: a new revision on top of the old ones, and the new tables in use.
    const next = await runInDurableObject(stub, (instance) => {
      const applied = instance.apply([{ ...documents[0]!, metadata: { name: "migrated-three" } }], {
        actor: "migration-test",
      });
      return applied.ok ? applied.value.revision : -1;
    });
    expect(next).toBe(6);
    // Every revision written under the old schema still rolls back to exactly its content.
    const restored = await runInDurableObject(stub, (instance) =>
      [1, 2, 3, 4, 5].map((revision) => {
        const rolled = instance.rollback(revision, "migration-test");
        if (!rolled.ok) throw new Error(JSON.stringify(rolled));
        const listed = instance.list();
        if (!listed.ok) return [];
        return listed.value.items.map((r) => {
          const url = (r.spec as { endpoints: { url: string }[] }).endpoints[0]!.url;
          return `${r.metadata.name} ${url.slice(-4)}`;
        });
      }),
    );
    expect(restored).toEqual([
      ["migrated-one 9001"],
      ["migrated-gone 9001", "migrated-one 9001"],
      ["migrated-gone 9001", "migrated-one 9002"],
      ["migrated-one 9002"],
      ["migrated-one 9002", "migrated-two 9001"],
    ]);
    const credential = await runInDurableObject(stub, (instance) =>
      instance.createCredential("default", "migrated-workload", "migration-test"),
    );
    expect(credential.ok).toBe(true);
  });
});
