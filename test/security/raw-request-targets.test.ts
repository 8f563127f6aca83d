// Raw request targets against an AuthorizationPolicy, with the proxy in workerd alone: there `request.url` is the
// target as the client sent it (`/a/../admin`, `%2e%2e`), which under the local mesh Miniflare's entry Worker has
// already resolved, so only here does the proxy's own normalisation decide (http/request-url.ts, request-path.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControl, startProxyRaw } from "../../bench/lib/workerd.mjs";
import { request } from "../../scripts/lib/local-mesh.mjs";
import { startUpstream, type Upstream } from "../helpers/processes";
import { eventually } from "./mesh-helpers";

const CONFIG = (upstreamUrl: string) => `apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: vault}
spec:
  endpoints: [{url: "${upstreamUrl}"}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: vault-no-admin}
spec:
  selector: {matchLabels: {app: vault}}
  action: DENY
  rules:
    - to: [{operation: {paths: ["/admin", "/admin/*"]}}]
`;

type Started = Awaited<ReturnType<typeof startControl>>;
let control: Started;
let proxy: Awaited<ReturnType<typeof startProxyRaw>>;
let upstream: Upstream;
const call = (path: string) =>
  request(proxy.port, "vault.localhost", path, { headers: { "cf-connecting-ip": "127.0.0.1" } });

beforeAll(async () => {
  upstream = await startUpstream("vault");
  control = await startControl();
  proxy = await startProxyRaw(control.port);
  const applied = await control.api("POST", "/v1/apply", CONFIG(upstream.url));
  expect(applied.status, applied.body).toBe(200);
  await eventually(async () => expect((await call("/admin")).status).toBe(403), 15_000);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await control?.stop();
  await upstream?.close();
});

describe("raw request targets in workerd alone", () => {
  it.each([
    "/public/../admin",
    "/public/%2e%2e/admin",
    "/public/%2E%2e/admin/keys",
    "/./admin/keys",
    "/public/./../admin?x=1",
  ])("%s is the denied path: 403 forbidden, nothing reaches the service", async (path) => {
    const before = upstream.requests.length;
    const res = await call(path);
    expect(res.status, res.body).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe("forbidden");
    expect(upstream.requests.length).toBe(before);
  });

  it("a path outside the policy passes, and the service receives it resolved", async () => {
    const res = await call("/admin/../public/./x?y=1");
    expect(res.status, res.body).toBe(200);
    expect(upstream.requests.at(-1)!.url).toBe("/public/x?y=1");
  });
});
