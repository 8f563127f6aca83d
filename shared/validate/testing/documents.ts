// Test helpers: resource documents as plain objects, and the problems validateDocuments reports for them.
import type { ErrorDetail } from "../../errors";
import { validateDocuments } from "../validate-documents";

export const FM = "flaremesh.dev/v1alpha1";
export const GW = "gateway.networking.k8s.io/v1";
export const NET = "networking.istio.io/v1";
export const SEC = "security.istio.io/v1";

export function doc(
  apiVersion: string,
  kind: string,
  name: string,
  spec: unknown,
  metadata: Record<string, unknown> = {},
) {
  return { apiVersion, kind, metadata: { name, ...metadata }, spec };
}

/** The problems of a request that must fail validation. */
export function problems(docs: unknown[]): ErrorDetail[] {
  const result = validateDocuments(docs);
  if (result.ok) throw new Error("expected validation to fail");
  return result.problems;
}

/** [case, document, expected document label, expected path, message pattern] */
export type Rejection = [string, unknown, string, string, RegExp];

export const svc = (spec: unknown, name = "reviews") => doc(FM, "Service", name, spec);
export const route = (rules: unknown[]) =>
  doc(GW, "HTTPRoute", "r", { parentRefs: [{ kind: "Service", name: "reviews" }], rules });
export const vs = (http: unknown[], extra: Record<string, unknown> = {}) =>
  doc(NET, "VirtualService", "v", { hosts: ["reviews"], http, ...extra });
export const dest = { destination: { host: "reviews" } };
export const dr = (spec: Record<string, unknown>) => doc(NET, "DestinationRule", "d", { host: "reviews", ...spec });
export const tp = (spec: Record<string, unknown>) => doc(FM, "TrafficPolicy", "t", spec);
export const sink = (spec: Record<string, unknown>) =>
  doc(FM, "TelemetrySink", "s", { type: "http-json", endpoint: "https://logs.example.com/in", ...spec });

/** Asserts that validating `document` alone reports a problem at `path`, naming `label`, matching `message`. */
export function expectRejection(document: unknown, label: string, path: string, message: RegExp): void {
  const found = problems([document]);
  const match = found.find((p) => p.path === path);
  if (match === undefined) throw new Error(`no problem at ${path}: ${JSON.stringify(found)}`);
  if (match.document !== label) throw new Error(`problem at ${path} names ${match.document}, not ${label}`);
  if (!message.test(match.message)) throw new Error(`problem at ${path}: "${match.message}" does not match ${message}`);
}
