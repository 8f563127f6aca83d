// Concurrent writers: 20 applies and deletes at once on overlapping resources. Every accepted change is in
// exactly one revision, none is lost, the history is contiguous and each revision's content is reproducible;
// `metadata.resourceVersion` lets a client refuse to overwrite a change it has not seen (409 conflict).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { fingerprint } from "./control";

const NAMES = ["cw-a", "cw-b", "cw-c", "cw-d"];
const OPS = 20;

type Op = { id: number; kind: "apply"; names: string[] } | { id: number; kind: "delete"; name: string };

/** Ops in a fixed, overlapping mix: every name is written by several applies and deleted at least once. */
function operations(): Op[] {
  return Array.from({ length: OPS }, (_, id): Op => {
    if (id % 4 === 3) return { id, kind: "delete", name: NAMES[(id >> 2) % NAMES.length]! };
    const names = id % 3 === 0 ? [NAMES[id % 4]!, NAMES[(id + 1) % 4]!] : [NAMES[id % 4]!];
    return { id, kind: "apply", names };
  });
}

/** A Service whose endpoint label records which op wrote it. */
function serviceDoc(name: string, op: number): string {
  return `apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: ${name}}
spec:
  endpoints:
    - url: http://127.0.0.1:9/
      labels: {writer: op-${op}}
`;
}

/** name → op that last wrote it, as the control plane stores it now. */
async function written(mesh: TestMesh): Promise<Record<string, string>> {
  const res = await mesh.api("GET", "/v1/resources/Service");
  const items = (
    res.json as { items: { metadata: { name: string }; spec: { endpoints: { labels?: { writer?: string } }[] } }[] }
  ).items;
  return Object.fromEntries(
    items
      .filter((r) => NAMES.includes(r.metadata.name))
      .map((r) => [r.metadata.name, r.spec.endpoints[0]!.labels!.writer!]),
  );
}

describe("concurrent writers", () => {
  let mesh: TestMesh;

  beforeAll(async () => {
    mesh = await startMesh();
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it("puts every accepted change in exactly one revision, loses none, and keeps history contiguous", async () => {
    // Every name exists first, so the first delete of each that runs has something to delete.
    const seeded = await mesh.api("POST", "/v1/apply", NAMES.map((n) => serviceDoc(n, -1)).join("---\n"));
    expect(seeded.status, seeded.body).toBe(200);
    const start = await fingerprint(mesh);
    const ops = operations();
    const answers = await Promise.all(
      ops.map(async (op) => {
        const res =
          op.kind === "apply"
            ? await mesh.api("POST", "/v1/apply", op.names.map((n) => serviceDoc(n, op.id)).join("---\n"))
            : await mesh.api("DELETE", `/v1/resources/Service/default/${op.name}`);
        return { op, status: res.status, body: res.json as { revision?: number; error?: { code: string } } };
      }),
    );

    // Applies always land; a delete lands or finds nothing to delete (404) — never anything else.
    for (const a of answers) {
      if (a.op.kind === "apply") expect(a.status, JSON.stringify(a.body)).toBe(200);
      else expect([200, 404], JSON.stringify(a.body)).toContain(a.status);
    }
    expect(answers.some((a) => a.op.kind === "delete" && a.status === 200)).toBe(true);
    const accepted = answers.filter((a) => a.status === 200).sort((x, y) => x.body.revision! - y.body.revision!);
    const revisions = accepted.map((a) => a.body.revision!);
    // Each accepted change has its own revision, and they follow one another with no gap.
    expect(revisions).toEqual(accepted.map((_, i) => start.revision + 1 + i));

    const end = await fingerprint(mesh);
    expect(end.revision).toBe(start.revision + accepted.length);
    expect(end.revisions.map((r) => r.revision)).toEqual(
      Array.from({ length: end.revision + 1 - end.revisions[0]!.revision }, (_, i) => end.revisions[0]!.revision + i),
    );

    // Replaying the accepted changes in revision order gives the content of every revision.
    const model: Record<string, string>[] = [];
    let state: Record<string, string> = Object.fromEntries(NAMES.map((n) => [n, "op--1"]));
    for (const a of accepted) {
      state = { ...state };
      if (a.op.kind === "apply") for (const n of a.op.names) state[n] = `op-${a.op.id}`;
      else delete state[a.op.name];
      model.push(state);
    }
    expect(await written(mesh)).toEqual(model.at(-1));
    // Rollback reproduces each revision's stored content; it must match the replay.
    for (const [i, a] of accepted.entries()) {
      const rolled = await mesh.api("POST", "/v1/rollback", { revision: a.body.revision });
      expect(rolled.status, rolled.body).toBe(200);
      expect(await written(mesh), `revision ${a.body.revision}`).toEqual(model[i]);
    }
  });

  it("refuses a write based on a stale resourceVersion with 409 conflict, and changes nothing", async () => {
    const first = await mesh.api("POST", "/v1/apply", serviceDoc("cw-occ", 100));
    expect(first.status, first.body).toBe(200);
    const read = await mesh.api("GET", "/v1/resources/Service/default/cw-occ");
    const seen = (read.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    // Someone else changes it...
    const other = await mesh.api("POST", "/v1/apply", serviceDoc("cw-occ", 101));
    expect(other.status, other.body).toBe(200);
    const before = await fingerprint(mesh);
    // ...so a write based on what we saw is refused, whole, even with another valid document beside it.
    const stale = serviceDoc("cw-occ", 102).replace(
      "metadata: {name: cw-occ}",
      `metadata: {name: cw-occ, resourceVersion: "${seen}"}`,
    );
    const refused = await mesh.api("POST", "/v1/apply", `${serviceDoc("cw-bystander", 103)}---\n${stale}`);
    expect(refused.status, refused.body).toBe(409);
    expect((refused.json as { error: { code: string; details: { path: string }[] } }).error).toMatchObject({
      code: "conflict",
      details: [{ path: "metadata.resourceVersion" }],
    });
    expect(await fingerprint(mesh)).toEqual(before);
    // With the current resourceVersion the same write goes through.
    const current = (await mesh.api("GET", "/v1/resources/Service/default/cw-occ")).json as {
      metadata: { resourceVersion: string };
    };
    const fresh = stale.replace(`resourceVersion: "${seen}"`, `resourceVersion: "${current.metadata.resourceVersion}"`);
    const accepted = await mesh.api("POST", "/v1/apply", fresh);
    expect(accepted.status, accepted.body).toBe(200);
    expect((accepted.json as { revision: number }).revision).toBe(before.revision + 1);
  });
});
