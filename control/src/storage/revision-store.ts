// Rows of `revisions` and `revision_changes`: the history, each revision with the resources it changed.
import type { Resource } from "../../../shared/resources/resource";
import { resourceId } from "../../../shared/resources/resource";

export interface RevisionEntry {
  revision: number;
  /** ISO 8601. */
  time: string;
  actor: string;
  summary: string;
}

export class RevisionStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The latest revision number, or -1 before revision 0 is recorded. */
  current(): number {
    const row = this.sql.exec<{ r: number | null }>(`SELECT MAX(revision) AS r FROM revisions`).one();
    return row.r ?? -1;
  }

  /** The history, oldest first. */
  list(): RevisionEntry[] {
    return this.sql
      .exec<{ revision: number; time: string; actor: string; summary: string }>(
        `SELECT revision, time, actor, summary FROM revisions ORDER BY revision`,
      )
      .toArray()
      .map((row) => ({ revision: row.revision, time: row.time, actor: row.actor, summary: row.summary }));
  }

  exists(revision: number): boolean {
    return this.sql.exec(`SELECT 1 FROM revisions WHERE revision = ?`, revision).toArray().length > 0;
  }

  /** The resource set a revision held, ordered by id: each id's latest change up to it, unless a deletion. */
  content(revision: number): Resource[] {
    // SQLite takes the bare column `json` from the row holding MAX(revision) of each group.
    const rows = this.sql.exec<{ json: string }>(
      `SELECT json FROM (
         SELECT id, json, MAX(revision) FROM revision_changes WHERE revision <= ? GROUP BY id
       ) WHERE json IS NOT NULL ORDER BY id`,
      revision,
    );
    // Rows are written only by `record`, from validated resources.
    return [...rows].map((row) => JSON.parse(row.json) as Resource);
  }

  /** Records a revision with what it changed: resources created or changed (as stored) and ids deleted. */
  record(entry: RevisionEntry, changed: readonly Resource[], deleted: readonly string[]): void {
    this.sql.exec(
      `INSERT INTO revisions (revision, time, actor, summary) VALUES (?, ?, ?, ?)`,
      entry.revision,
      entry.time,
      entry.actor,
      entry.summary,
    );
    for (const resource of changed) {
      this.sql.exec(
        `INSERT INTO revision_changes (id, revision, json) VALUES (?, ?, ?)`,
        resourceId(resource),
        entry.revision,
        JSON.stringify(resource),
      );
    }
    for (const id of deleted) {
      this.sql.exec(`INSERT INTO revision_changes (id, revision, json) VALUES (?, ?, NULL)`, id, entry.revision);
    }
  }
}
