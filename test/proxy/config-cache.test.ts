// How configuration reaches the real proxy: cold start, background refresh, last good revision, backoff.
import { afterEach, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../helpers/processes";
import { defaultRoute, eventually, json, snapshot, startProxy, type ProxyHarness } from "./harness";

let proxy: ProxyHarness | undefined;
const upstreams: Upstream[] = [];

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});

/** Revision `revision` sends default/web to an upstream named `name`. */
async function revisionTo(revision: number, name: string) {
  const up = await startUpstream(name);
  upstreams.push(up);
  return snapshot(revision, {
    "default/web": { endpoints: [{ id: name, url: up.url }], routes: [defaultRoute("default/web")] },
  });
}

const servedBy = async (p: ProxyHarness) => {
  const res = await p.send("web.localhost", "/");
  return res.status === 200 ? (json(res).name as string) : `${res.status} ${res.headers["x-mesh-error"]}`;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cold isolate", () => {
  it("loads once, then serves; concurrent first requests share one load", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one") });
    const results = await Promise.all(Array.from({ length: 20 }, () => servedBy(proxy!)));
    expect(new Set(results)).toEqual(new Set(["one"]));
    // One load, then one acknowledgement reporting the revision now served (what /v1/status shows).
    await eventually(async () => proxy!.control.calls.length === 2, 1000);
    const [load, ack] = proxy.control.calls;
    expect(load).toMatchObject({ worker: "flaremesh-proxy", servedRevision: null, proxyId: expect.any(String) });
    expect(ack).toMatchObject({ worker: "flaremesh-proxy", servedRevision: 1, proxyId: load!.proxyId });
  });

  it("answers 503 no_config when the control plane is unreachable, and recovers when it is back", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one"), mode: "fail" });
    const res = await proxy.send("web.localhost", "/");
    expect(res.status).toBe(503);
    expect(res.headers["x-mesh-error"]).toBe("no_config");
    expect(json(res).error.code).toBe("no_config");
    proxy.control.mode = "ok";
    await eventually(async () => (await servedBy(proxy!)) === "one", 3000, 50);
  });

  it("waits about 2 s for a hanging control plane, then answers 503 no_config", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one"), mode: "hang" });
    const start = Date.now();
    const res = await proxy.send("web.localhost", "/");
    const elapsed = Date.now() - start;
    expect(res.headers["x-mesh-error"]).toBe("no_config");
    expect(elapsed).toBeGreaterThanOrEqual(1800);
    expect(elapsed).toBeLessThan(4000);
  });

  it("does not call the control plane per request while it is failing", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one"), mode: "fail" });
    for (let i = 0; i < 40; i++) {
      expect((await proxy.send("web.localhost", "/")).status).toBe(503);
      await sleep(25);
    }
    // ~1 s of traffic: backoff (125–250 ms, then doubling) allows a handful of attempts, not 40.
    expect(proxy.control.calls.length).toBeLessThanOrEqual(8);
  });
});

describe("warm isolate", () => {
  it("serves a configuration change within 1 s", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one") });
    expect(await servedBy(proxy)).toBe("one");
    proxy.control.snapshot = await revisionTo(2, "two");
    const elapsed = await eventually(async () => (await servedBy(proxy!)) === "two", 1000);
    expect(elapsed).toBeLessThan(1000);
    // Reported as served right away, without waiting for more traffic.
    await eventually(async () => proxy!.control.calls.at(-1)!.servedRevision === 2, 500);
  });

  it("keeps the last good revision while the control plane fails, and picks up the next when it is back", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one") });
    expect(await servedBy(proxy)).toBe("one");
    proxy.control.mode = "fail";
    const callsBefore = proxy.control.calls.length;
    for (let i = 0; i < 30; i++) {
      expect(await servedBy(proxy)).toBe("one");
      await sleep(30);
    }
    expect(proxy.control.calls.length - callsBefore).toBeGreaterThan(0);
    expect(proxy.control.calls.length - callsBefore).toBeLessThanOrEqual(8);
    proxy.control.snapshot = await revisionTo(2, "two");
    proxy.control.mode = "ok";
    await eventually(async () => (await servedBy(proxy!)) === "two", 6000, 50);
  });

  it("keeps the last good revision when the control plane sends an invalid snapshot", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one") });
    expect(await servedBy(proxy)).toBe("one");
    proxy.control.snapshot = await revisionTo(2, "two");
    proxy.control.mode = "invalid";
    const callsBefore = proxy.control.calls.length;
    for (let i = 0; i < 20; i++) {
      expect(await servedBy(proxy)).toBe("one");
      await sleep(40);
    }
    expect(proxy.control.calls.length).toBeGreaterThan(callsBefore);
    // The proxy still reports the revision it really serves.
    expect(proxy.control.calls.at(-1)!.servedRevision).toBe(1);
  });

  it("polls only when its revision is older than MESH_REFRESH_MS, with a stable proxy id", async () => {
    proxy = await startProxy({ snapshot: await revisionTo(1, "one") });
    const start = Date.now();
    while (Date.now() - start < 1200) await servedBy(proxy);
    const { calls } = proxy.control;
    expect(new Set(calls.map((c) => c.proxyId)).size).toBe(1);
    // After the load and its acknowledgement, steady polling: one call per 250 ms at most, however busy.
    const steady = calls.slice(2);
    expect(steady.length).toBeGreaterThan(0);
    for (let i = 1; i < steady.length; i++) expect(steady[i]!.at - steady[i - 1]!.at).toBeGreaterThanOrEqual(200);
    expect(calls.length).toBeLessThanOrEqual(2 + 6);
  });
});
