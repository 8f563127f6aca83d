// Helpers for resilience tests: apply YAML and wait until the proxy serves it; time a request.
import { expect } from "vitest";
import type { TestMesh } from "../helpers/local-mesh";

/** Applies YAML and waits until a proxy reports serving that revision (requests to an unknown host drive its polls). */
export async function applyAndSettle(mesh: TestMesh, yaml: string): Promise<number> {
  const res = await mesh.api("POST", "/v1/apply", yaml);
  expect(res.status, res.body).toBe(200);
  const revision = (res.json as { revision: number }).revision;
  await settle(mesh, revision);
  return revision;
}

export async function settle(mesh: TestMesh, revision: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await mesh.fetch("settle.localhost", "/");
    const status = await mesh.api("GET", "/v1/status");
    const proxies = (status.json as { proxies: { revision: number | null }[] }).proxies;
    if (proxies.some((p) => p.revision !== null && p.revision >= revision)) {
      // One more poll so that endpoint health rides along with the new revision.
      await new Promise((r) => setTimeout(r, 300));
      await mesh.fetch("settle.localhost", "/");
      await new Promise((r) => setTimeout(r, 100));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no proxy serves revision ${revision} after 10 s`);
}

/** Keeps the proxy polling (health and ejections travel with polls) for `ms`. */
export async function pollFor(mesh: TestMesh, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await mesh.fetch("settle.localhost", "/");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function service(name: string, urls: string[], extra = ""): string {
  const endpoints = urls.map((url) => `    - url: ${url}`).join("\n");
  return `apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: ${name}
spec:
  endpoints:
${endpoints}
${extra}`;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await run();
  return { value, ms: Date.now() - start };
}
