// The ControlPlane's storage: schema version, atomic commits, serialized applies, state kept across restarts.
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SnapshotStore } from "../../control/src/storage/snapshot-store";
import { MIGRATIONS } from "../../control/src/storage/schema";
import { applyYaml, callJson, currentRevision, serviceYaml, type ErrorBody } from "./api";

const plane = () => env.CONTROL_PLANE.getByName("mesh");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("storage", () => {
  it("records the latest schema version", async () => {
    const versions = await runInDurableObject(plane(), (_instance, state) =>
      state.storage.sql.exec<{ version: number }>("SELECT version FROM schema_version ORDER BY version").toArray(),
    );
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("changes nothing when a commit fails half-way, and does not leak the error", async () => {
    const before = await currentRevision();
    vi.spyOn(SnapshotStore.prototype, "write").mockImplementation(() => {
      throw new Error("disk on fire: secret detail");
    });
    const { status, body } = await applyYaml(serviceYaml("half-way"));
    expect(status).toBe(500);
    expect(body.error.code).toBe("internal");
    expect(JSON.stringify(body)).not.toContain("secret detail");
    vi.restoreAllMocks();
    expect(await currentRevision()).toBe(before);
    expect((await callJson<ErrorBody>("/v1/resources/Service/default/half-way")).status).toBe(404);
    const history = await callJson<{ items: { revision: number }[] }>("/v1/revisions");
    expect(history.body.items.at(-1)?.revision).toBe(before);
  });

  it("serializes concurrent applies into consecutive revisions", async () => {
    const before = await currentRevision();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => applyYaml(serviceYaml(`parallel-${i}`))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const revisions = answers.map((a) => a.body.revision).sort((a, b) => a - b);
    expect(revisions).toEqual([1, 2, 3, 4, 5, 6].map((n) => before + n));
  });

  it("records in the history only what a revision changed, whatever the size of the mesh", async () => {
    await applyYaml(Array.from({ length: 20 }, (_, i) => serviceYaml(`bulk-${i}`)).join("---\n"));
    const rowsOf = (revision: number) =>
      runInDurableObject(plane(), (_instance, state) =>
        state.storage.sql
          .exec<{ id: string; deleted: number }>(
            "SELECT id, json IS NULL AS deleted FROM revision_changes WHERE revision = ? ORDER BY id",
            revision,
          )
          .toArray(),
      );
    await applyYaml([serviceYaml("bulk-3", "http://127.0.0.1:9996"), serviceYaml("bulk-new")].join("---\n"));
    expect(await rowsOf(await currentRevision())).toEqual([
      { id: "Service/default/bulk-3", deleted: 0 },
      { id: "Service/default/bulk-new", deleted: 0 },
    ]);
    await callJson("/v1/resources/Service/default/bulk-7", { method: "DELETE" });
    expect(await rowsOf(await currentRevision())).toEqual([{ id: "Service/default/bulk-7", deleted: 1 }]);
  });

  it("keeps resources, history and snapshot across a restart of the object", async () => {
    await applyYaml(serviceYaml("survivor"));
    const revision = await currentRevision();
    const history = (await callJson("/v1/revisions")).body;
    await evictDurableObject(plane());
    expect(await currentRevision()).toBe(revision);
    expect((await callJson("/v1/revisions")).body).toEqual(history);
    expect((await callJson("/v1/resources/Service/default/survivor")).status).toBe(200);
    const snapshot = await plane().getSnapshot();
    expect(snapshot.revision).toBe(revision);
    expect(JSON.parse(snapshot.json)).toMatchObject({ revision });
  });
});
