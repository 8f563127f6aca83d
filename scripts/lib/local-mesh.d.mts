// Types for local-mesh.mjs (plain JS so that `npm start` needs no TypeScript at run time).
export const ROOT: string;
export const DEV_ADMIN_TOKEN: string;
export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
export function request(
  port: number,
  host: string,
  path: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; hostname?: string },
): Promise<HttpResult>;
export interface LocalMesh {
  url: string;
  port: number;
  adminToken: string;
  mf: unknown;
  /** The local mTLS listener, when `mtlsPort` was given. */
  mtls: MtlsListener | null;
  /** The secret by which the mTLS listener proves to the proxy that it set `request.cf`. */
  tlsListenerSecret: string;
  stop(): Promise<void>;
}
export function startLocalMesh(options?: {
  port?: number;
  host?: string;
  stateDir?: string;
  adminToken?: string;
  demo?: boolean;
  env?: Record<string, Record<string, string>>;
  log?: (line: string) => void;
  verbose?: boolean;
  /** Start the mTLS listener on this port (0 = any free port). */
  mtlsPort?: number;
  /** Open the V8 inspector on this port (one endpoint per Worker: `/core:user:<worker name>`). */
  inspectorPort?: number;
  /** Outbound mTLS: client keypairs the proxy presents to origins, by `mtls_certificates` binding name. */
  mtlsCertificates?: Record<string, MtlsClientCertificate>;
  /** The same from files `<BINDING>.crt`, `<BINDING>.key` (and optional `<BINDING>.ca.crt`) in this directory. */
  mtlsCertificatesDir?: string;
}): Promise<LocalMesh>;
export interface MtlsClientCertificate {
  /** PEM certificate chain (leaf first). */
  certificateChain: string;
  /** PEM private key of the leaf. */
  privateKey: string;
  /** PEM CA certificates trusted for the origin's server certificate, besides the public CAs. */
  trustedCertificates?: string[];
}
export function mtlsCertificateBindings(
  config: unknown,
  certificates?: Record<string, MtlsClientCertificate>,
): Record<string, unknown>;
export function readMtlsCertificatesDir(dir: string | undefined): Record<string, MtlsClientCertificate>;
export interface MtlsListener {
  port: number;
  url: string;
  serverCertificate: string;
  caCertificates(): string[];
  close(): Promise<void>;
}
export function applyDemo(port: number, adminToken: string, log?: (line: string) => void): Promise<void>;
export function workerConfigPaths(): string[];
export function bundleWorker(config: unknown, outDir: string): Promise<string>;
export function readWorkerConfig(configPath: string): Promise<{ name: string; main: string } & Record<string, unknown>>;
export function toMiniflareWorker(
  config: unknown,
  scriptPath: string,
  extraBindings?: Record<string, string>,
): Record<string, unknown>;
