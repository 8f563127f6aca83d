// The real proxy Worker in workerd (Miniflare) with a control plane the test scripts, Worker endpoints and real upstreams.
import http from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Miniflare, convertV4MiniflareOptions, Log, LogLevel } from "miniflare";
import * as localMesh from "../../scripts/lib/local-mesh.mjs";
import { request, ROOT, type HttpResult } from "../../scripts/lib/local-mesh.mjs";
import { SnapshotModel } from "../../shared/model/snapshot";

export type { HttpResult };
export { request };

/** What the fake control plane answers; the test changes it at any time. */
export type ControlMode = "ok" | "fail" | "hang" | "invalid";

export interface FakeControl {
  mode: ControlMode;
  /** The snapshot served in mode `ok` (its revision is the current revision). */
  snapshot: SnapshotModel | null;
  /** Every getSnapshot call the proxy made. */
  calls: { proxyId: string; worker: string; servedRevision: number | null; at: number }[];
}

export interface ProxyHarness {
  port: number;
  control: FakeControl;
  send(
    host: string,
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<HttpResult>;
  /** A request made by the `caller` Worker through its MESH (Egress) binding, as productpage would. */
  egress(url: string, headers?: Record<string, string>): Promise<HttpResult>;
  stop(): Promise<void>;
}

// The local mesh's own bundler, so the tests run the proxy exactly as `npm start` builds it.
// (local-mesh.d.mts does not declare it yet.)
const { bundleWorker } = localMesh as unknown as {
  bundleWorker(config: { name: string; main: string }, outDir: string): Promise<string>;
};

let bundlePath: Promise<string> | null = null;

/** Bundled once per test process. */
function proxyBundle(): Promise<string> {
  return (bundlePath ??= bundleWorker(
    { name: "flaremesh-proxy", main: join(ROOT, "workers/proxy/src/index.ts") },
    mkdtempSync(join(tmpdir(), "flaremesh-proxy-test-")),
  ));
}

const fakeControlScript = (port: number) => `
import { WorkerEntrypoint } from "cloudflare:workers";
export class ProxyApi extends WorkerEntrypoint {
  async getSnapshot(req) {
    const res = await fetch("http://127.0.0.1:${port}/snapshot", { method: "POST", body: JSON.stringify(req) });
    if (!res.ok) throw new Error("control plane failed: " + res.status);
    return res.json();
  }
  // Telemetry: metrics deltas are accepted and discarded (the observability tests use the real control plane).
  async reportMetrics() {
    return { result: "applied" };
  }
}
export default { fetch() { return new Response("fake control"); } };`;

/** A Worker endpoint (`{worker: "echo"}`): echoes what it received, and echoes WebSocket messages on /ws. */
const echoWorkerScript = `
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/ws" && request.headers.get("upgrade") === "websocket") {
      const [client, server] = Object.values(new WebSocketPair());
      server.accept();
      server.addEventListener("message", (e) => server.send("echo:" + e.data));
      return new Response(null, { status: 101, webSocket: client });
    }
    return Response.json({ worker: "echo", url: request.url, method: request.method,
      headers: Object.fromEntries(request.headers), body: await request.text() });
  },
};`;

/** A Worker that calls the mesh like a demo service: `x-target` names the URL, other headers are passed on. */
const callerWorkerScript = `
export default {
  async fetch(request, env) {
    const headers = new Headers(request.headers);
    const target = headers.get("x-target");
    headers.delete("x-target");
    return env.MESH.fetch(target, { headers });
  },
};`;

export async function startProxy(
  options: { snapshot?: SnapshotModel | null; mode?: ControlMode; bindings?: Record<string, string> } = {},
): Promise<ProxyHarness> {
  const control: FakeControl = { mode: options.mode ?? "ok", snapshot: options.snapshot ?? null, calls: [] };
  const hung: http.ServerResponse[] = [];
  const controlServer = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const call = JSON.parse(body) as Omit<FakeControl["calls"][number], "at">;
      control.calls.push({ ...call, at: Date.now() });
      if (control.mode === "hang") return void hung.push(res);
      if (control.mode === "fail" || control.snapshot === null) return void res.writeHead(500).end();
      const revision = control.snapshot.revision;
      const snapshot =
        control.mode === "invalid"
          ? JSON.stringify({ ...control.snapshot, services: "not a map" })
          : call.servedRevision === revision
            ? null
            : JSON.stringify(control.snapshot);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ revision, snapshot }));
    });
  });
  await new Promise<void>((resolve) => controlServer.listen(0, "127.0.0.1", resolve));
  const controlPort = (controlServer.address() as { port: number }).port;

  const scriptPath = await proxyBundle();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      log: new Log(process.env.PROXY_TEST_VERBOSE ? LogLevel.DEBUG : LogLevel.NONE),
      workers: [
        {
          name: "flaremesh-proxy",
          modules: true,
          scriptPath,
          // Module names are relative to this root; workerd refuses names that climb out with `..`.
          modulesRoot: dirname(scriptPath),
          compatibilityDate: "2026-11-01",
          bindings: { MESH_HOST_SUFFIXES: ".localhost", MESH_REFRESH_MS: "250", ...options.bindings },
          serviceBindings: { CONTROL: { name: "fake-control", entrypoint: "ProxyApi" }, WORKER_ECHO: "echo" },
        },
        {
          name: "fake-control",
          modules: true,
          script: fakeControlScript(controlPort),
          compatibilityDate: "2026-11-01",
        },
        { name: "echo", modules: true, script: echoWorkerScript, compatibilityDate: "2026-11-01" },
        {
          name: "caller",
          modules: true,
          script: callerWorkerScript,
          compatibilityDate: "2026-11-01",
          routes: ["caller.test/*"],
          serviceBindings: {
            MESH: {
              name: "flaremesh-proxy",
              entrypoint: "Egress",
              props: { service: "productpage", namespace: "default", version: "v1" },
            },
          },
        },
      ],
    }),
  );
  const url = await mf.ready;
  const port = Number(url.port);
  return {
    port,
    control,
    send: (host, path, init) => request(port, host, path, init),
    egress: (target, headers = {}) =>
      request(port, "caller.test", "/", { headers: { ...headers, "x-target": target } }),
    async stop() {
      for (const res of hung) res.destroy();
      await mf.dispose();
      controlServer.closeAllConnections();
      await new Promise<void>((resolve) => controlServer.close(() => resolve()));
    },
  };
}

type ServiceInput = Record<string, unknown> & { routes?: unknown[]; endpoints?: unknown[] };

/**
 * A valid snapshot; `services` maps `ns/name` to a partial ServiceModel (defaults filled by the schema), `mesh` the
 * mesh-wide settings a compiled MeshConfig gives.
 */
export function snapshot(
  revision: number,
  services: Record<string, ServiceInput>,
  mesh: Record<string, unknown> = {},
): SnapshotModel {
  return SnapshotModel.parse({
    format: 1,
    revision,
    generatedAt: new Date(0).toISOString(),
    mesh,
    services: Object.fromEntries(
      Object.entries(services).map(([key, svc]) => {
        const [namespace, name] = key.split("/") as [string, string];
        return [key, { name, namespace, ...svc }];
      }),
    ),
  });
}

/** A route that sends everything to `service` (the shape the compiler gives a Service without routes). */
export function defaultRoute(service: string, extra: Record<string, unknown> = {}) {
  return { id: `default/${service}`, matches: [], backends: [{ service }], ...extra };
}

/** The JSON body of an answer; tests read the fields they expect and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-side reading of a JSON body
export function json(res: HttpResult): any {
  return JSON.parse(res.body);
}

/** Polls `check` until it returns true; returns the elapsed ms, or throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
