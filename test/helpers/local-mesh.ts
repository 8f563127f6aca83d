// Test harness: the local mesh in-process (same code as `npm start`), and helpers to talk to it by Host.
import { startLocalMesh, request, type HttpResult, type MtlsClientCertificate } from "../../scripts/lib/local-mesh.mjs";

export interface TestMesh {
  url: string;
  port: number;
  adminToken: string;
  /** A request to `host` (e.g. `reviews.localhost`) through the mesh's single port. */
  fetch(
    host: string,
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<HttpResult>;
  /** A control-API call with the admin token (unless `token` is given; `null` sends none). */
  api(
    method: string,
    path: string,
    body?: unknown,
    opts?: { token?: string | null; contentType?: string },
  ): Promise<HttpResult & { json: unknown }>;
  stop(): Promise<void>;
}

export async function startMesh(
  options: {
    demo?: boolean;
    env?: Record<string, Record<string, string>>;
    stateDir?: string;
    /** Open the V8 inspector on this port (reliability tests force GC and read heap usage through it). */
    inspectorPort?: number;
    adminToken?: string;
    /** Outbound mTLS: client keypairs the proxy presents to origins, by `mtls_certificates` binding name. */
    mtlsCertificates?: Record<string, MtlsClientCertificate>;
  } = {},
): Promise<TestMesh> {
  const mesh = await startLocalMesh({ port: 0, demo: options.demo ?? false, ...options });
  const port = mesh.port;
  return {
    url: mesh.url,
    port,
    adminToken: mesh.adminToken,
    fetch: (host, path, init) => request(port, host, path, init),
    async api(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      const token = opts.token === undefined ? mesh.adminToken : opts.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        headers["content-type"] =
          opts.contentType ?? (typeof body === "string" ? "application/yaml" : "application/json");
      }
      const res = await request(port, "control.localhost", path, { method, headers, body: payload });
      let json: unknown = undefined;
      try {
        json = JSON.parse(res.body);
      } catch {
        /* not JSON */
      }
      return { ...res, json };
    },
    stop: () => mesh.stop(),
  };
}
