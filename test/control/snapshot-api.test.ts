// ProxyApi.getSnapshot: the snapshot after a change, null when the proxy is current, heartbeats in /v1/status.
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseSnapshot, parseSnapshotDelta, parseSnapshotReusing } from "../../shared/model/snapshot";
import { ControlPlane } from "../../control/src/durable/control-plane";
import { checkRequest } from "../../control/src/proxy-api/proxy-api";
import { applyYaml, callJson, currentRevision, serviceYaml } from "./api";

const proxy = exports.ProxyApi;

interface Status {
  revision: number;
  proxies: { id: string; worker: string; revision: number | null; lastSeen: string; upToDate: boolean }[];
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("ProxyApi.getSnapshot", () => {
  it("gives a proxy without configuration the current snapshot", async () => {
    const revision = await currentRevision();
    const answer = await proxy.getSnapshot({ proxyId: "snap-1", worker: "flaremesh-proxy", servedRevision: null });
    expect(answer.revision).toBe(revision);
    expect(typeof answer.snapshot).toBe("string");
    const model = parseSnapshot(JSON.parse(answer.snapshot!));
    expect(model?.revision).toBe(revision);
  });

  it("answers null when the proxy already serves the current revision", async () => {
    const revision = await currentRevision();
    const answer = await proxy.getSnapshot({ proxyId: "snap-1", worker: "flaremesh-proxy", servedRevision: revision });
    expect(answer).toMatchObject({ revision, snapshot: null });
  });

  it("serves the new revision after an apply", async () => {
    const old = await currentRevision();
    const { body } = await applyYaml(serviceYaml("snap-svc"));
    expect(body.revision).toBe(old + 1);
    const answer = await waitFor(
      () => proxy.getSnapshot({ proxyId: "snap-1", worker: "flaremesh-proxy", servedRevision: old }),
      (a) => a.revision === old + 1,
    );
    expect(answer.revision).toBe(old + 1);
    const model = parseSnapshot(JSON.parse(answer.snapshot!));
    expect(model?.revision).toBe(old + 1);
    expect(Object.keys(model?.services ?? {})).toContain("default/snap-svc");
  });

  it("sends a proxy that takes deltas only the services changed since its revision", async () => {
    await applyYaml([serviceYaml("delta-a"), serviceYaml("delta-b")].join("---\n"));
    const base = await currentRevision();
    const whole = await waitFor(
      () => proxy.getSnapshot({ proxyId: "delta", worker: "flaremesh-proxy", servedRevision: null }),
      (a) => a.revision === base,
    );
    const held = parseSnapshotReusing(JSON.parse(whole.snapshot!), null)!;
    await applyYaml([serviceYaml("delta-b", "http://127.0.0.1:9002"), serviceYaml("delta-c")].join("---\n"));
    const served = { servedRevision: base, servedGeneratedAt: held.snapshot.generatedAt };
    const answer = await waitFor(
      () => proxy.getSnapshot({ proxyId: "delta", worker: "flaremesh-proxy", ...served, delta: true }),
      (a) => a.revision === base + 1,
    );
    expect(answer.snapshot).toBeNull();
    const sent = answer.delta!.services;
    expect(
      Object.entries(sent)
        .filter(([, text]) => text !== null)
        .map(([key]) => key),
    ).toEqual(["default/delta-b", "default/delta-c"]);
    expect(sent["default/delta-a"]).toBeNull();
    // Applied to the proxy's copy, the delta gives exactly the new revision.
    const built = parseSnapshotDelta(answer.delta, held)!;
    const full = await proxy.getSnapshot({ proxyId: "delta-full", worker: "flaremesh-proxy", servedRevision: null });
    expect(built.snapshot).toEqual(parseSnapshot(JSON.parse(full.snapshot!)));
    // A proxy that does not ask for deltas, or claims a revision the control plane never made, gets it whole.
    const plain = await proxy.getSnapshot({ proxyId: "delta", worker: "flaremesh-proxy", servedRevision: base });
    expect(plain.delta).toBeUndefined();
    expect(parseSnapshot(JSON.parse(plain.snapshot!))?.revision).toBe(base + 1);
    const ahead = { proxyId: "delta", worker: "flaremesh-proxy", servedRevision: base + 50, delta: true };
    expect(typeof (await proxy.getSnapshot(ahead)).snapshot).toBe("string");
    // Same revision number from another history (another generatedAt): whole.
    const other = { ...served, servedGeneratedAt: "2001-01-01T00:00:00.000Z" };
    const elsewhere = await proxy.getSnapshot({ proxyId: "delta", worker: "flaremesh-proxy", ...other, delta: true });
    expect([elsewhere.delta, typeof elsewhere.snapshot]).toEqual([undefined, "string"]);
  });

  it("reports each proxy and the revision it serves in /v1/status", async () => {
    const revision = await currentRevision();
    await proxy.getSnapshot({ proxyId: "status-old", worker: "flaremesh-proxy", servedRevision: revision - 1 });
    await proxy.getSnapshot({ proxyId: "status-new", worker: "reviews-proxy", servedRevision: revision });
    const status = await waitFor(
      async () => (await callJson<Status>("/v1/status")).body,
      (s) => ["status-old", "status-new"].every((id) => s.proxies.some((p) => p.id === id)),
    );
    expect(status.revision).toBe(revision);
    expect(status.proxies.find((p) => p.id === "status-old")).toMatchObject({
      worker: "flaremesh-proxy",
      revision: revision - 1,
      upToDate: false,
    });
    const fresh = status.proxies.find((p) => p.id === "status-new")!;
    expect(fresh).toMatchObject({ worker: "reviews-proxy", revision, upToDate: true });
    expect(new Date(fresh.lastSeen).toISOString()).toBe(fresh.lastSeen);
  });

  it("shows a proxy's new revision within about a second", async () => {
    const revision = await currentRevision();
    await proxy.getSnapshot({ proxyId: "moving", worker: "flaremesh-proxy", servedRevision: null });
    await proxy.getSnapshot({ proxyId: "moving", worker: "flaremesh-proxy", servedRevision: revision });
    const status = await waitFor(
      async () => (await callJson<Status>("/v1/status")).body,
      (s) => s.proxies.some((p) => p.id === "moving" && p.revision === revision),
      1500,
    );
    expect(status.proxies.find((p) => p.id === "moving")?.upToDate).toBe(true);
  });

  it("shares one ControlPlane read among many polls", async () => {
    const reads = vi.spyOn(ControlPlane.prototype, "getSnapshot");
    const revision = await currentRevision();
    await new Promise((resolve) => setTimeout(resolve, 300)); // let any cached entry expire
    const polls = Array.from({ length: 50 }, (_, i) =>
      proxy.getSnapshot({ proxyId: `many-${i % 5}`, worker: "flaremesh-proxy", servedRevision: revision }),
    );
    const answers = await Promise.all(polls);
    expect(answers.every((a) => a.revision === revision && a.snapshot === null)).toBe(true);
    expect(reads.mock.calls.length).toBe(1);
  });

  it.each([
    [{ proxyId: "", worker: "w", servedRevision: null }],
    [{ proxyId: "p", worker: 7, servedRevision: null }],
    [{ proxyId: "p", worker: "w", servedRevision: "3" }],
    [{ proxyId: "p", worker: "w", servedRevision: 1.5 }],
    [{ proxyId: "p", worker: "w", servedRevision: 1, delta: "yes" }],
    [{ proxyId: "p", worker: "w", servedRevision: 1, servedGeneratedAt: 5 }],
  ])("rejects malformed arguments %j", async (args) => {
    // Checked before anything reaches storage. (Called directly: an RPC rejection is also reported by the
    // test pool as an unhandled error of the callee.)
    expect(() => checkRequest(args)).toThrow(/getSnapshot/);
  });
});
