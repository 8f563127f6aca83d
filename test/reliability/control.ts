// Talking to the control plane in reliability tests: faults, convergence, and a fingerprint of its state.
import { expect } from "vitest";
import type { TestMesh } from "../helpers/local-mesh";
import { sleep } from "./load";

export type ProxyApiFault = "ok" | "unreachable" | "invalid";

/** Local development hook (control/src/routes/dev.ts): what ProxyApi answers proxies from now on. */
export async function setProxyApiFault(mesh: TestMesh, fault: ProxyApiFault): Promise<void> {
  const res = await mesh.api("POST", "/v1/dev/faults", { proxyApi: fault });
  expect(res.status, res.body).toBe(200);
}

export async function currentRevision(mesh: TestMesh): Promise<number> {
  const res = await mesh.api("GET", "/v1/resources");
  expect(res.status, res.body).toBe(200);
  return (res.json as { revision: number }).revision;
}

/** Waits until `check` holds, driving proxy polls with requests meanwhile; throws after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Every proxy seen in the last few seconds serves `revision`. */
export async function proxiesServe(mesh: TestMesh, revision: number): Promise<boolean> {
  const res = await mesh.api("GET", "/v1/status");
  const proxies = (res.json as { proxies?: { revision: number | null; lastSeen: string }[] }).proxies ?? [];
  const recent = proxies.filter((p) => Date.now() - Date.parse(p.lastSeen) < 3_000);
  return recent.length > 0 && recent.every((p) => p.revision === revision);
}

export interface StateFingerprint {
  revision: number;
  /** `kind/namespace/name@resourceVersion`, sorted. */
  resources: string[];
  revisions: { revision: number; summary: string; actor: string; time: string }[];
}

/** What an apply must change completely or not at all: the resource set and the history. */
export async function fingerprint(mesh: TestMesh): Promise<StateFingerprint> {
  const resources = await mesh.api("GET", "/v1/resources");
  const revisions = await mesh.api("GET", "/v1/revisions");
  expect(resources.status, resources.body).toBe(200);
  expect(revisions.status, revisions.body).toBe(200);
  const body = resources.json as {
    revision: number;
    items: { kind: string; metadata: { namespace: string; name: string; resourceVersion?: string } }[];
  };
  return {
    revision: body.revision,
    resources: body.items
      .map((r) => `${r.kind}/${r.metadata.namespace}/${r.metadata.name}@${r.metadata.resourceVersion ?? "?"}`)
      .sort(),
    revisions: (revisions.json as { items: StateFingerprint["revisions"] }).items,
  };
}

export function serviceYaml(name: string, worker = "httpbin-v1", extra = ""): string {
  return `apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: ${name}
spec:
  endpoints:
    - worker: ${worker}
${extra}`;
}
