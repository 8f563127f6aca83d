// Revision history and rollback: consecutive numbers, actor and summary, rollback to an exact earlier set.
import { describe, expect, it } from "vitest";
import { applyYaml, callJson, currentRevision, routeYaml, serviceYaml, type ErrorBody } from "./api";

interface History {
  items: { revision: number; time: string; actor: string; summary: string }[];
}

interface Listing {
  revision: number;
  items: { kind: string; metadata: { name: string }; spec: unknown }[];
}

async function listing() {
  const { body } = await callJson<Listing>("/v1/resources");
  return body.items.map((r) => ({ kind: r.kind, name: r.metadata.name, spec: r.spec }));
}

function rollback(revision: unknown) {
  return callJson<{ revision: number; changed: boolean } & ErrorBody>("/v1/rollback", {
    body: JSON.stringify({ revision }),
    contentType: "application/json",
  });
}

describe("history", () => {
  it("starts at revision 0 and grows by one per change", async () => {
    const { body: first } = await callJson<History>("/v1/revisions");
    expect(first.items[0]?.revision).toBe(0);
    await applyYaml(serviceYaml("hist-a"));
    await applyYaml(serviceYaml("hist-a")); // unchanged: no revision
    await applyYaml(serviceYaml("hist-b"));
    const { body } = await callJson<History>("/v1/revisions");
    const numbers = body.items.map((i) => i.revision);
    expect(numbers).toEqual(numbers.map((_, i) => i));
    expect(numbers.length).toBe(first.items.length + 2);
  });

  it("records time, actor and a summary naming what changed", async () => {
    await applyYaml(serviceYaml("hist-c"));
    const { body } = await callJson<History>("/v1/revisions");
    const last = body.items.at(-1)!;
    expect(last.actor).toBe("admin");
    expect(last.summary).toContain("created Service/default/hist-c");
    expect(new Date(last.time).toISOString()).toBe(last.time);
    await callJson("/v1/resources/Service/default/hist-c", { method: "DELETE" });
    const after = (await callJson<History>("/v1/revisions")).body.items.at(-1)!;
    expect(after.summary).toContain("Service/default/hist-c");
    expect(after.summary).toMatch(/^delete/);
  });
});

describe("rollback", () => {
  it("makes a new revision whose content equals the named one", async () => {
    await applyYaml([serviceYaml("rb-a"), serviceYaml("rb-b")].join("---\n"));
    const target = await currentRevision();
    const expected = await listing();
    await applyYaml(
      [serviceYaml("rb-a", "http://127.0.0.1:9999"), serviceYaml("rb-c"), routeYaml("rb-route", "rb-a", "rb-c")].join(
        "---\n",
      ),
    );
    await callJson("/v1/resources/Service/default/rb-b", { method: "DELETE" });
    const before = await currentRevision();

    const { status, body } = await rollback(target);
    expect(status).toBe(200);
    expect(body.revision).toBe(before + 1);
    expect(body.changed).toBe(true);
    expect(await listing()).toEqual(expected);
    const history = (await callJson<History>("/v1/revisions")).body.items;
    expect(history.at(-1)).toMatchObject({
      revision: before + 1,
      actor: "admin",
      summary: `rollback to revision ${target}`,
    });
  });

  it("restores every earlier revision exactly, through changes, deletions and re-creations", async () => {
    const steps = [
      () => applyYaml([serviceYaml("ex-a"), serviceYaml("ex-b")].join("---\n")),
      () => applyYaml(serviceYaml("ex-a", "http://127.0.0.1:9998")),
      () => callJson("/v1/resources/Service/default/ex-b", { method: "DELETE" }),
      () => applyYaml([serviceYaml("ex-b", "http://127.0.0.1:9997"), serviceYaml("ex-c")].join("---\n")),
      () => callJson("/v1/resources/Service/default/ex-a", { method: "DELETE" }),
    ];
    const seen: { revision: number; content: Awaited<ReturnType<typeof listing>> }[] = [];
    for (const step of steps) {
      await step();
      seen.push({ revision: await currentRevision(), content: await listing() });
    }
    for (const { revision, content } of [...seen].reverse()) {
      await rollback(revision);
      expect(await listing()).toEqual(content);
    }
  });

  it("creates no revision when the named revision equals the current content", async () => {
    const current = await currentRevision();
    const { status, body } = await rollback(current);
    expect(status).toBe(200);
    expect(body).toMatchObject({ revision: current, changed: false });
    expect(await currentRevision()).toBe(current);
  });

  it("answers 404 for an unknown revision and changes nothing", async () => {
    const before = await currentRevision();
    const { status, body } = await rollback(before + 1000);
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
    expect(await currentRevision()).toBe(before);
  });

  it.each([[-1], [1.5], ["3"], [null]])("answers 400 for revision %j", async (revision) => {
    const { status, body } = await rollback(revision);
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
  });

  it("rolls back to revision 0, the empty mesh", async () => {
    const before = await currentRevision();
    const { body } = await rollback(0);
    expect(body.revision).toBe(before + 1);
    expect(await listing()).toEqual([]);
  });
});
