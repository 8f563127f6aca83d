// Test helpers for the control API: requests to the control Worker's fetch handler with a role's token.
import { exports } from "cloudflare:workers";

export const ADMIN = "test-admin";
export const VIEWER = "test-viewer";

export interface CallOptions {
  method?: string;
  /** Bearer token; null sends no Authorization header. Default: the admin token. */
  token?: string | null;
  body?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

export function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  const token = options.token === undefined ? ADMIN : options.token;
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (options.contentType) headers.set("content-type", options.contentType);
  return exports.default.fetch(`http://control.localhost${path}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body: options.body,
  });
}

export async function callJson<T = Record<string, unknown>>(path: string, options: CallOptions = {}) {
  const response = await call(path, options);
  const text = await response.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${path}: expected JSON, got ${response.status} ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

export function applyYaml(yaml: string, query = "", token?: string | null) {
  return callJson<ApplyBody & ErrorBody>(`/v1/apply${query}`, { body: yaml, contentType: "application/yaml", token });
}

export interface ApplyBody {
  revision: number;
  results: { apiVersion: string; kind: string; namespace: string; name: string; action: string }[];
  warnings?: unknown[];
  dryRun?: boolean;
}

export interface ErrorBody {
  error: { code: string; message: string; details: { document?: string; path?: string; message: string }[] };
}

export async function currentRevision(): Promise<number> {
  const { body } = await callJson<{ revision: number }>("/v1/status");
  return body.revision;
}

/** A Service with one URL endpoint. */
export function serviceYaml(name: string, url = "http://127.0.0.1:9001", namespace = "default"): string {
  return `apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  endpoints:
    - url: ${url}
`;
}

/** An HTTPRoute attached to `parent` sending everything to `backend`. */
export function routeYaml(name: string, parent: string, backend: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
spec:
  parentRefs:
    - kind: Service
      name: ${parent}
  rules:
    - backendRefs:
        - name: ${backend}
          port: 80
`;
}
