// Incremental snapshot validation (what a proxy does on every new revision) equals full validation.
import { describe, expect, it } from "vitest";
import { compileSnapshot } from "../compile/index";
import { loadResources } from "../validate/testing/load";
import * as B from "../validate/testing/bookinfo";
import * as G from "../validate/testing/gamma";
import { parseSnapshot, parseSnapshotReusing } from "./snapshot";

const resources = loadResources(
  B.BOOKINFO_SERVICES,
  G.REVIEWS_VERSION_SERVICES,
  B.DESTINATION_RULE_ALL,
  B.VIRTUAL_SERVICE_REVIEWS_TEST_V2,
);
/** The parts of a received snapshot the tests edit. */
interface Received {
  [field: string]: unknown;
  mesh: Record<string, unknown>;
  services: Record<string, Record<string, unknown> & { labels: Record<string, string> }>;
}
/** A snapshot as a proxy receives it: JSON text, parsed. */
const received = (revision: number, edit?: (s: Received) => void): unknown => {
  const snapshot = JSON.parse(
    JSON.stringify(compileSnapshot(resources, revision, "2026-11-27T00:00:00.000Z")),
  ) as Received;
  edit?.(snapshot);
  return snapshot;
};

describe("parseSnapshotReusing", () => {
  it("returns what parseSnapshot returns, with or without a previous revision", () => {
    const first = parseSnapshotReusing(received(1), null)!;
    expect(first.snapshot).toEqual(parseSnapshot(received(1)));
    const next = received(2, (s) => (s.services["default/ratings"]!.labels.tier = "backend"));
    expect(parseSnapshotReusing(next, first)!.snapshot).toEqual(parseSnapshot(next));
  });

  it("keeps the validated model of every unchanged service and validates the changed one", () => {
    const first = parseSnapshotReusing(received(1), null)!;
    const second = parseSnapshotReusing(
      received(2, (s) => (s.services["default/ratings"]!.labels.tier = "backend")),
      first,
    )!;
    expect(second.snapshot.revision).toBe(2);
    expect(second.snapshot.services["default/details"]).toBe(first.snapshot.services["default/details"]);
    expect(second.snapshot.services["default/reviews"]).toBe(first.snapshot.services["default/reviews"]);
    expect(second.snapshot.services["default/ratings"]).not.toBe(first.snapshot.services["default/ratings"]);
    expect(second.snapshot.services["default/ratings"]!.labels.tier).toBe("backend");
  });

  it("keeps the unchanged services' models when only the mesh settings changed", () => {
    const first = parseSnapshotReusing(received(1), null)!;
    const second = parseSnapshotReusing(
      received(2, (s) => (s.mesh.defaultTimeoutMs = 1234)),
      first,
    )!;
    expect(second.snapshot.mesh.defaultTimeoutMs).toBe(1234);
    expect(second.snapshot.services["default/details"]).toBe(first.snapshot.services["default/details"]);
    expect(second.snapshot).toEqual(
      parseSnapshotReusing(
        received(2, (s) => (s.mesh.defaultTimeoutMs = 1234)),
        null,
      )!.snapshot,
    );
  });

  it("refuses a snapshot whose changed service is invalid, or whose envelope is", () => {
    const first = parseSnapshotReusing(received(1), null)!;
    expect(
      parseSnapshotReusing(
        received(2, (s) => (s.services["default/ratings"]!.endpoints = "nope")),
        first,
      ),
    ).toBeNull();
    expect(
      parseSnapshotReusing(
        received(2, (s) => (s.services["default/new"] = { name: 1, labels: {} })),
        first,
      ),
    ).toBeNull();
    expect(
      parseSnapshotReusing(
        received(2, (s) => (s.format = 99)),
        first,
      ),
    ).toBeNull();
    expect(
      parseSnapshotReusing(
        received(2, (s) => (s.extra = true)),
        first,
      ),
    ).toBeNull();
  });

  it("reads format 2 and format 1 (every peer mode resolved into the models), no other", () => {
    const current = parseSnapshotReusing(received(1), null)!;
    expect(current.snapshot.format).toBe(2);
    expect(current.snapshot.services["default/details"]!.policy.security?.peerAuthentication).toEqual({});
    const older = parseSnapshotReusing(
      received(1, (s) => {
        s.format = 1;
        const policy = s.services["default/details"]!.policy as { security: { peerAuthentication: object } };
        policy.security.peerAuthentication = { mode: "STRICT" };
      }),
      null,
    )!;
    expect(older.snapshot.services["default/details"]!.policy.security?.peerAuthentication).toEqual({ mode: "STRICT" });
    expect(
      parseSnapshotReusing(
        received(1, (s) => (s.format = 3)),
        null,
      ),
    ).toBeNull();
  });
});
