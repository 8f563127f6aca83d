// Restarting the local mesh mid-traffic with the same state directory: resources, revisions, workload
// credentials and the mesh signing keys come back intact, and traffic after the restart has no mesh errors.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { SOAK_RPS } from "./budget";
import { fingerprint, serviceYaml } from "./control";
import { judgeProduct, productRequest, tally } from "./demo-traffic";
import { send } from "./http";
import { runLoad, sleep } from "./load";

const stateDir = mkdtempSync(join(tmpdir(), "flaremesh-reliability-state-"));
let mesh: TestMesh | undefined;

afterAll(async () => {
  await mesh?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

async function identityToken(m: TestMesh, credential: string): Promise<{ status: number; token?: string }> {
  const res = await m.api("POST", "/v1/identity/token", undefined, { token: credential });
  return { status: res.status, token: (res.json as { token?: string } | undefined)?.token };
}

async function jwks(m: TestMesh): Promise<JSONWebKeySet> {
  const res = await send(m.port, "control.localhost", "/.well-known/jwks.json");
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as JSONWebKeySet;
}

describe("state across a restart of the local mesh", () => {
  it("keeps resources, revisions, credentials and keys when restarted mid-traffic", async () => {
    mesh = await startMesh({ demo: true, stateDir });
    const applied = await mesh.api("POST", "/v1/apply", serviceYaml("restart-survivor"));
    expect(applied.status, applied.body).toBe(200);
    const minted = await mesh.api("POST", "/v1/credentials", { service: "outside-workload" });
    expect(minted.status, minted.body).toBe(201);
    const credential = (minted.json as { credential: string }).credential;
    const before = await identityToken(mesh, credential);
    expect(before.status).toBe(200);
    const keysBefore = await mesh.api("GET", "/v1/keys");
    expect(keysBefore.status, keysBefore.body).toBe(200);
    const jwksBefore = await jwks(mesh);
    const stateBefore = await fingerprint(mesh);

    // Load runs while the mesh is stopped under it; requests in the gap fail at the socket (nothing listens).
    const first = mesh;
    const load = runLoad({ rps: SOAK_RPS, seconds: 3, request: productRequest(first), judge: judgeProduct });
    await sleep(1_500);
    await first.stop();
    mesh = undefined;
    const during = await load;
    // Before the stop, everything answered (the stop itself may cut the requests then in flight).
    expect(tally(during.samples.filter((s) => s.at < 1.2).map((s) => s.problem))).toEqual({});

    mesh = await startMesh({ demo: true, stateDir });
    const stateAfter = await fingerprint(mesh);
    // Re-applying the demo on start changes nothing, so not even the revision moves.
    expect(stateAfter).toEqual(stateBefore);
    expect(stateAfter.resources.some((r) => r.startsWith("Service/default/restart-survivor@"))).toBe(true);

    const keysAfter = await mesh.api("GET", "/v1/keys");
    expect(keysAfter.json).toEqual(keysBefore.json);
    const jwksAfter = await jwks(mesh);
    expect(jwksAfter.keys.map((k) => k.kid).sort()).toEqual(jwksBefore.keys.map((k) => k.kid).sort());
    // A token minted before the restart still verifies with the keys published after it...
    await jwtVerify(before.token!, createLocalJWKSet(jwksAfter));
    // ...and the credential issued before the restart still mints tokens.
    const after = await identityToken(mesh, credential);
    expect(after.status).toBe(200);
    await jwtVerify(after.token!, createLocalJWKSet(jwksAfter));

    const { samples } = await runLoad({
      rps: SOAK_RPS,
      seconds: 3,
      request: productRequest(mesh),
      judge: judgeProduct,
    });
    expect(tally(samples.map((s) => s.problem))).toEqual({});
    expect((await send(mesh.port, "restart-survivor.localhost", "/get")).status).toBe(200);
  }, 120_000);
});
