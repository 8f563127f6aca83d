// Control-API steps the traffic tests repeat: apply YAML, delete a resource, and wait until the proxy serves it.
import { expect } from "vitest";
import type { TestMesh } from "../helpers/local-mesh";

/** Applies YAML (all or nothing) and returns the revision it made. */
export async function apply(mesh: TestMesh, yaml: string): Promise<number> {
  const res = await mesh.api("POST", "/v1/apply", yaml);
  expect(res.status, res.body).toBe(200);
  return (res.json as { revision: number }).revision;
}

export async function remove(mesh: TestMesh, kind: string, namespace: string, name: string): Promise<number> {
  const res = await mesh.api("DELETE", `/v1/resources/${kind}/${namespace}/${name}`);
  expect(res.status, res.body).toBe(200);
  return (res.json as { revision: number }).revision;
}

/**
 * Waits until every proxy the control plane has seen serves `revision` or newer. Proxies refresh when traffic
 * arrives, so each round sends `probe` (any request through the proxy) before it asks for the status.
 */
export async function servedEverywhere(mesh: TestMesh, revision: number, probeHost: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await mesh.fetch(probeHost, "/__probe");
    const res = await mesh.api("GET", "/v1/status");
    const status = res.json as { proxies: { revision: number | null }[] };
    if (status.proxies.length > 0 && status.proxies.every((p) => (p.revision ?? -1) >= revision)) return;
    if (Date.now() > deadline) throw new Error(`revision ${revision} not served within 10 s: ${res.body}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Applies YAML and waits until the proxy serves it. */
export async function applyAndWait(mesh: TestMesh, yaml: string, probeHost: string): Promise<number> {
  const revision = await apply(mesh, yaml);
  await servedEverywhere(mesh, revision, probeHost);
  return revision;
}
