// Sharing ejections between isolates: reporting own ejections, adopting others', respecting the cap.
import { describe, expect, it } from "vitest";
import { OutlierDetectionModel } from "../model/resilience";
import { availableEndpoints, createOutlierState, endpointStatus, recordResult } from "./outlier-detection";
import { localEjections, mergeRemoteEjections } from "./outlier-sharing";

const cfg = OutlierDetectionModel.parse({ consecutive5xxErrors: 1, maxEjectionPercent: 50 });
const S503 = { status: 503, delivered: "yes" } as const;

describe("localEjections", () => {
  it("reports only this isolate's live ejections", () => {
    const s = createOutlierState(["a", "b", "c", "d"]);
    recordResult(s, "a", S503, 0, cfg);
    mergeRemoteEjections(s, [{ endpointId: "b", ejectedUntilMs: 50_000, ejectionCount: 1 }], 0, cfg);
    expect(localEjections(s, 1)).toEqual([{ endpointId: "a", ejectedUntilMs: 30_000, ejectionCount: 1 }]);
    expect(localEjections(s, 30_000)).toEqual([]);
  });
});

describe("mergeRemoteEjections", () => {
  it("ejects a healthy endpoint until the reported time, then it comes back through a local probe", () => {
    const s = createOutlierState(["a", "b"]);
    expect(mergeRemoteEjections(s, [{ endpointId: "a", ejectedUntilMs: 20_000, ejectionCount: 2 }], 0, cfg)).toEqual([
      "a",
    ]);
    expect(endpointStatus(s, "a", 19_999, cfg)).toBe("ejected");
    expect(availableEndpoints(s, ["a", "b"], 20_000, cfg).probe).toBe("a");
    expect(s.endpoints.get("a")!.ejectionCount).toBe(2);
  });

  it("skips expired reports and unknown endpoints, and is idempotent", () => {
    const s = createOutlierState(["a", "b"]);
    const reports = [
      { endpointId: "a", ejectedUntilMs: 5, ejectionCount: 1 },
      { endpointId: "zzz", ejectedUntilMs: 50_000, ejectionCount: 1 },
      { endpointId: "b", ejectedUntilMs: 50_000, ejectionCount: 1 },
    ];
    expect(mergeRemoteEjections(s, reports, 10, cfg)).toEqual(["b"]);
    expect(mergeRemoteEjections(s, reports, 10, cfg)).toEqual([]);
    expect(s.endpoints.get("b")!.ejectedUntilMs).toBe(50_000);
  });

  it("extends a local ejection or a half-open endpoint to the later time; never shortens", () => {
    const s = createOutlierState(["a", "b"]);
    recordResult(s, "a", S503, 0, cfg); // until 30 000
    mergeRemoteEjections(s, [{ endpointId: "a", ejectedUntilMs: 10_000, ejectionCount: 1 }], 0, cfg);
    expect(s.endpoints.get("a")!.ejectedUntilMs).toBe(30_000);
    availableEndpoints(s, ["a", "b"], 30_000, cfg); // probing
    mergeRemoteEjections(s, [{ endpointId: "a", ejectedUntilMs: 90_000, ejectionCount: 3 }], 30_001, cfg);
    expect(endpointStatus(s, "a", 30_002, cfg)).toBe("ejected");
    expect(s.endpoints.get("a")!.ejectionCount).toBe(3);
  });

  it("respects maxEjectionPercent across reports from several isolates", () => {
    const s = createOutlierState(["a", "b", "c", "d"]);
    const reports = ["a", "b", "c"].map((endpointId) => ({ endpointId, ejectedUntilMs: 60_000, ejectionCount: 1 }));
    expect(mergeRemoteEjections(s, reports, 0, cfg)).toEqual(["a", "b"]);
    expect(endpointStatus(s, "c", 1, cfg)).toBe("healthy");
  });
});
