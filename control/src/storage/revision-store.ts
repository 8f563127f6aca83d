// Rows of `revisions` and `revision_resources`: the history, each revision with its complete resource set.
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

  /** The resource set a revision held, ordered by id. */
  content(revision: number): Resource[] {
    const rows = this.sql.exec<{ json: string }>(
      `SELECT json FROM revision_resources WHERE revision = ? ORDER BY id`,
      revision,
    );
    // Rows are written only by `record`, from validated resources.
    return [...rows].map((row) => JSON.parse(row.json) as Resource);
  }

  record(entry: RevisionEntry, resources: readonly Resource[]): void {
    this.sql.exec(
      `INSERT INTO revisions (revision, time, actor, summary) VALUES (?, ?, ?, ?)`,
      entry.revision,
      entry.time,
      entry.actor,
      entry.summary,
    );
    for (const resource of resources) {
      this.sql.exec(
        `INSERT INTO revision_resources (revision, id, json) VALUES (?, ?, ?)`,
        entry.revision,
        resourceId(resource),
        JSON.stringify(resource),
      );
    }
  }
}
