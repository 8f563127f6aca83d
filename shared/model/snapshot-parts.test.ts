import { describe, expect, it } from "vitest";
import { compileSnapshot } from "../compile/index";
import { loadResources } from "../validate/testing/load";
import * as B from "../validate/testing/bookinfo";
import * as G from "../validate/testing/gamma";
import { parseSnapshotDelta, parseSnapshotReusing, type SnapshotModel, type ValidatedSnapshot } from "./snapshot";
import { deltaSince, partsFromJson, partsToJson, toParts, type SnapshotParts } from "./snapshot-parts";

const resources = loadResources(
  B.BOOKINFO_SERVICES,
  G.REVIEWS_VERSION_SERVICES,
  B.DESTINATION_RULE_ALL,
  B.VIRTUAL_SERVICE_REVIEWS_TEST_V2,
);

const generatedAt = (revision: number) => new Date(Date.UTC(2026, 10, 27, 0, 0, revision)).toISOString();

/** Revision `revision` of the Bookinfo mesh, edited by `edit` (a deep copy, as the control plane compiles it). */
function snapshotAt(revision: number, edit?: (s: SnapshotModel) => void): SnapshotModel {
  const s = structuredClone(compileSnapshot(resources, revision, generatedAt(revision)));
  edit?.(s);
  return s;
}

const relabel = (key: string, tier: string) => (s: SnapshotModel) => {
  s.services[key]!.labels = { ...s.services[key]!.labels, tier };
};

describe("snapshot parts", () => {
  it("assemble into the JSON of the whole snapshot", () => {
    const s = snapshotAt(3);
    expect(JSON.parse(partsToJson(toParts(s, undefined)))).toEqual(JSON.parse(JSON.stringify(s)));
    expect(partsToJson(partsFromJson(JSON.stringify(s)))).toBe(partsToJson(toParts(s, undefined)));
  });

  it("keep for each service the revision its text last changed in", () => {
    const one = toParts(snapshotAt(1), undefined);
    const two = toParts(snapshotAt(2, relabel("default/ratings", "a")), one);
    const three = toParts(
      snapshotAt(3, (s) => {
        relabel("default/ratings", "a")(s);
        relabel("default/details", "b")(s);
      }),
      two,
    );
    expect(three.services.get("default/productpage")!.since).toBe(1);
    expect(three.services.get("default/ratings")!.since).toBe(2);
    expect(three.services.get("default/details")!.since).toBe(3);
    // Back to an earlier text is still a change from the revision before.
    const four = toParts(snapshotAt(4, relabel("default/details", "b")), three);
    expect(four.services.get("default/ratings")!.since).toBe(4);
  });

  it("give a proxy what changed after its revision, null for what it has, nothing for what was removed", () => {
    const one = toParts(snapshotAt(1), undefined);
    const two = toParts(snapshotAt(2, relabel("default/ratings", "a")), one);
    const three = toParts(
      snapshotAt(3, (s) => {
        relabel("default/ratings", "a")(s);
        delete s.services["default/details"];
      }),
      two,
    );
    const fromTwo = deltaSince(three, 2, generatedAt(2))!;
    expect(fromTwo.services["default/ratings"]).toBeNull();
    expect("default/details" in fromTwo.services).toBe(false);
    expect(Object.values(fromTwo.services).every((v) => v === null)).toBe(true);
    const fromOne = deltaSince(three, 1, generatedAt(1))!;
    expect(fromOne.services["default/ratings"]).toBe(three.services.get("default/ratings")!.text);
    expect(fromOne.services["default/reviews"]).toBeNull();
    // A proxy that is current, or claims a revision the parts do not know, gets no delta.
    expect(deltaSince(three, 3, generatedAt(3))).toBeNull();
    expect(deltaSince(three, 7, generatedAt(7))).toBeNull();
    expect(deltaSince(three, -1, generatedAt(-1))).toBeNull();
  });

  it("give no delta to a proxy whose revision comes from another history", () => {
    const one = toParts(snapshotAt(1), undefined);
    const two = toParts(snapshotAt(2, relabel("default/ratings", "a")), one);
    // Same number, other generatedAt: e.g. a control plane whose storage was reset and counted up again.
    expect(deltaSince(two, 1, "2020-01-01T00:00:00.000Z")).toBeNull();
    expect(deltaSince(two, 1, null)).toBeNull();
    // Parts made without history (a restarted control plane) send a proxy older than them every service.
    const restarted = partsFromJson(partsToJson(two));
    expect(restarted.base).toBe(2);
    const three = toParts(snapshotAt(3, relabel("default/details", "b")), restarted);
    const old = deltaSince(three, 1, "anything")!;
    expect(Object.values(old.services).every((text) => text !== null)).toBe(true);
    expect(deltaSince(three, 2, "not revision 2's")).toBeNull();
    expect(Object.values(deltaSince(three, 2, generatedAt(2))!.services).filter((t) => t !== null)).toHaveLength(2);
  });
});

describe("parseSnapshotDelta", () => {
  /** The proxy's copy of `parts`' revision, as a full load gives it. */
  const validated = (parts: SnapshotParts): ValidatedSnapshot =>
    parseSnapshotReusing(JSON.parse(partsToJson(parts)), null)!;

  const EDITS: [string, (s: SnapshotModel) => void][] = [
    ["nothing but the revision", () => {}],
    ["one service's labels", relabel("default/reviews", "x")],
    ["a service removed", (s) => void delete s.services["default/details"]],
    ["a service added", (s) => (s.services["default/extra"] = { ...s.services["default/ratings"]!, name: "extra" })],
    ["the mesh settings", (s) => (s.mesh.defaultTimeoutMs = 1234)],
  ];

  it.each(EDITS)("equals a full load after %s, reusing the unchanged models", (_name, edit) => {
    const before = toParts(snapshotAt(1), undefined);
    const after = toParts(snapshotAt(2, edit), before);
    const held = validated(before);
    const fromDelta = parseSnapshotDelta(deltaSince(after, 1, generatedAt(1)), held)!;
    const fromFull = parseSnapshotReusing(JSON.parse(partsToJson(after)), held)!;
    expect(fromDelta).toEqual(fromFull);
    // Like a full load, a delta keeps the held model of a service whose text is unchanged.
    for (const [key, { model }] of fromFull.services) {
      const reused = model === held.services.get(key)?.model;
      expect(fromDelta.services.get(key)!.model === held.services.get(key)?.model, key).toBe(reused);
    }
  });

  it("refuses a delta for another revision, a null for a service it does not hold, or invalid content", () => {
    const before = toParts(snapshotAt(1), undefined);
    const after = toParts(snapshotAt(2, relabel("default/reviews", "x")), before);
    const held = validated(before);
    const delta = deltaSince(after, 1, generatedAt(1))!;
    expect(parseSnapshotDelta(delta, held)).not.toBeNull();
    expect(parseSnapshotDelta({ ...delta, from: 0 }, held)).toBeNull();
    expect(parseSnapshotDelta({ ...delta, revision: 3 }, held)).toBeNull();
    expect(parseSnapshotDelta({ ...delta, services: { ...delta.services, "default/ghost": null } }, held)).toBeNull();
    const broken = { ...delta.services, "default/reviews": '{"name":1}' };
    expect(parseSnapshotDelta({ ...delta, services: broken }, held)).toBeNull();
    expect(parseSnapshotDelta({ ...delta, services: { ...delta.services, "default/reviews": "{" } }, held)).toBeNull();
    expect(parseSnapshotDelta({ ...delta, head: '{"format":99}' }, held)).toBeNull();
    expect(parseSnapshotDelta({ ...delta, head: "[" }, held)).toBeNull();
    expect(parseSnapshotDelta("nope", held)).toBeNull();
  });
});
