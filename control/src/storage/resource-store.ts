// Rows of the `resources` table: the resource set the mesh currently holds.
import type { Resource } from "../../../shared/resources/resource";
import { resourceId } from "../../../shared/resources/resource";

export class ResourceStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Every stored resource, ordered by id. */
  all(): Resource[] {
    return this.rows(this.sql.exec<{ json: string }>(`SELECT json FROM resources ORDER BY id`));
  }

  ofKind(kind: string): Resource[] {
    return this.rows(this.sql.exec<{ json: string }>(`SELECT json FROM resources WHERE kind = ? ORDER BY id`, kind));
  }

  get(id: string): Resource | undefined {
    return this.rows(this.sql.exec<{ json: string }>(`SELECT json FROM resources WHERE id = ?`, id))[0];
  }

  /** Inserts or replaces one resource; its metadata must already carry the server fields. */
  put(resource: Resource): void {
    const { kind, metadata } = resource;
    this.sql.exec(
      `INSERT OR REPLACE INTO resources (id, kind, namespace, name, json, resource_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      resourceId(resource),
      kind,
      metadata.namespace,
      metadata.name,
      JSON.stringify(resource),
      metadata.resourceVersion ?? "",
      metadata.creationTimestamp ?? "",
    );
  }

  delete(id: string): void {
    this.sql.exec(`DELETE FROM resources WHERE id = ?`, id);
  }

  private rows(cursor: Iterable<{ json: string }>): Resource[] {
    const out: Resource[] = [];
    // Rows are written only by `put`, from validated resources.
    for (const row of cursor) out.push(JSON.parse(row.json) as Resource);
    return out;
  }
}
