// The control plane unreachable or answering garbage while traffic runs: no request fails because of it,
// proxies keep serving the last good revision and converge when it returns, and an apply issued during the
// outage lands completely or not at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { SOAK_RPS } from "./budget";
import {
  currentRevision,
  eventually,
  fingerprint,
  proxiesServe,
  serviceYaml,
  setProxyApiFault,
  type ProxyApiFault,
} from "./control";
import { judgeProduct, productRequest, tally } from "./demo-traffic";
import { errorCode, meshError, send } from "./http";
import { runLoad } from "./load";

describe("control plane faults during traffic", () => {
  let mesh: TestMesh;

  beforeAll(async () => {
    mesh = await startMesh({ demo: true });
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it("serves the last good revision through outages and garbage, and converges afterwards", async () => {
    const start = await fingerprint(mesh);
    await eventually("the proxy to serve the demo", async () => {
      await send(mesh.port, "productpage.localhost", "/productpage");
      return proxiesServe(mesh, start.revision);
    });
    // Schedule (seconds): 0–2 healthy, 2–5 unreachable (apply + rejected apply at 3), 5–8 invalid, 8–12 healthy.
    const schedule: Record<number, ProxyApiFault> = { 2: "unreachable", 5: "invalid", 8: "ok" };
    const during: { accepted?: number; rejectedStatus?: number; duringOutage?: number } = {};
    const { samples } = await runLoad({
      rps: SOAK_RPS,
      seconds: 12,
      request: productRequest(mesh),
      judge: judgeProduct,
      onSecond: async (second) => {
        const fault = schedule[second];
        if (fault) await setProxyApiFault(mesh, fault);
        if (second === 3) {
          // An apply during the outage lands on the control plane completely...
          const applied = await mesh.api("POST", "/v1/apply", serviceYaml("outage-echo"));
          expect(applied.status, applied.body).toBe(200);
          during.accepted = (applied.json as { revision: number }).revision;
          // ...and one with an invalid document lands not at all.
          const rejected = await mesh.api(
            "POST",
            "/v1/apply",
            `${serviceYaml("outage-half")}---\n${serviceYaml("outage-broken", "httpbin-v1", "  bogusField: 1\n")}`,
          );
          during.rejectedStatus = rejected.status;
          // The proxy still serves the revision it had: the new Service is not known to it yet.
          during.duringOutage = (await send(mesh.port, "outage-echo.localhost", "/get")).status;
        }
      },
    });
    await setProxyApiFault(mesh, "ok"); // whatever happened above, leave the mesh healthy

    expect(tally(samples.map((s) => s.problem))).toEqual({});
    expect(during.accepted).toBe(start.revision + 1);
    expect(during.rejectedStatus).toBe(400);
    expect(during.duringOutage).toBe(404);

    const after = await fingerprint(mesh);
    expect(after.revision).toBe(start.revision + 1);
    expect(after.revisions.map((r) => r.revision)).toEqual([...start.revisions.map((r) => r.revision), after.revision]);
    expect(after.revisions.at(-1)!.summary).toContain("outage-echo");
    const added = after.resources.filter((r) => !start.resources.includes(r));
    expect(added.map((r) => r.split("@")[0])).toEqual(["Service/default/outage-echo"]);
    expect(after.resources.filter((r) => r.includes("outage-half") || r.includes("outage-broken"))).toEqual([]);

    // Converged: every proxy serves the new revision (not the garbage's bogus one) and routes the new Service.
    await eventually("proxies to converge on the revision applied during the outage", async () => {
      const res = await send(mesh.port, "outage-echo.localhost", "/get");
      return res.status === 200 && (await proxiesServe(mesh, after.revision));
    });
  });

  it("keeps answering from a proxy that has config while the control plane stays down", async () => {
    // Longer than the refresh interval and the control isolate's snapshot cache: every poll fails meanwhile.
    await setProxyApiFault(mesh, "unreachable");
    try {
      for (let i = 0; i < 10; i++) {
        const res = await send(mesh.port, "details.localhost", "/details/0");
        expect([res.status, meshError(res) ?? errorCode(res)]).toEqual([200, undefined]);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await setProxyApiFault(mesh, "ok");
    }
    expect(await currentRevision(mesh)).toBeGreaterThan(0);
  });
});
