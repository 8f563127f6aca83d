// Shared steps of the security behaviour tests: apply and wait until the proxies enforce it, mint identities.
import { expect } from "vitest";
import type { TestMesh } from "../helpers/local-mesh";

export async function apply(mesh: TestMesh, yaml: string): Promise<void> {
  const res = await mesh.api("POST", "/v1/apply", yaml);
  expect(res.status, res.body).toBe(200);
}

export async function remove(mesh: TestMesh, kind: string, name: string, namespace = "default"): Promise<void> {
  const res = await mesh.api("DELETE", `/v1/resources/${kind}/${namespace}/${name}`);
  expect([200, 404]).toContain(res.status);
}

/** Retries `check` until it passes (configuration reaches proxies within a second or so). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

export async function credential(mesh: TestMesh, service: string): Promise<string> {
  const res = await mesh.api("POST", "/v1/credentials", { service });
  expect(res.status, res.body).toBe(201);
  return (res.json as { credential: string }).credential;
}

export async function identityToken(mesh: TestMesh, secret: string): Promise<string> {
  const res = await mesh.api("POST", "/v1/identity/token", undefined, { token: secret });
  expect(res.status, res.body).toBe(200);
  return (res.json as { token: string }).token;
}

export function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** httpbin's `/headers` echo: what the service received. */
export function echoed(body: string): Record<string, string> {
  return (JSON.parse(body) as { headers: Record<string, string> }).headers;
}

export function peerAuthentication(name: string, app: string, mode: "STRICT" | "PERMISSIVE" | "DISABLE"): string {
  return `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ${name}
  namespace: default
spec:
  selector:
    matchLabels:
      app: ${app}
  mtls:
    mode: ${mode}
`;
}
