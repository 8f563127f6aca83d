// SSRF guard: which hosts endpoint, sink and JWKS URLs may point at, per environment and MeshConfig.
import type { ErrorDetail } from "../errors";
import type { Resource } from "../resources/resource";
import { ofKind } from "../resources/registry";
import { cidrContains, parseCidr, parseIp, type CidrBlock, type IpAddress } from "../security/cidr";
import { classifyAddress, type AddressClass } from "../security/special-address";
import type { ReferenceIndex } from "./reference-index";
import { label } from "./reference-index";

export type Environment = "development" | "production";

const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

const LOOPBACK_V4 = parseIp("127.0.0.1") as IpAddress;
const LOOPBACK_V6 = parseIp("::1") as IpAddress;
const METADATA_V4 = parseIp("169.254.169.254") as IpAddress;

/** What the endpoint policy distinguishes; the address classes come from shared/security (one classifier). */
type HostClass = "public" | "loopback" | "private" | "link-local" | "metadata" | "unspecified" | "reserved";

const HOST_CLASS: Record<AddressClass, HostClass> = {
  public: "public",
  unspecified: "unspecified",
  loopback: "loopback",
  private: "private",
  shared: "private",
  unique_local: "private",
  link_local: "link-local",
  metadata: "metadata",
  multicast: "reserved",
  broadcast: "reserved",
  documentation: "reserved",
  reserved: "reserved",
};

/** The class of a URL host and the addresses that stand for it (host names that are not special are public). */
function classifyHost(hostname: string): { cls: HostClass; addresses: IpAddress[] } {
  let h = hostname.toLowerCase();
  if (h.endsWith(".")) h = h.slice(0, -1);
  if (h === "localhost" || h.endsWith(".localhost")) return { cls: "loopback", addresses: [LOOPBACK_V4, LOOPBACK_V6] };
  if (METADATA_NAMES.has(h)) return { cls: "metadata", addresses: [METADATA_V4] };
  const ip = parseIp(h);
  const cls = classifyAddress(h);
  if (ip === null || cls === null) return { cls: "public", addresses: [] };
  return { cls: HOST_CLASS[cls], addresses: [ip] };
}

/**
 * Why a host may not be called, or undefined when it may. Public hosts always may; in development,
 * loopback and private addresses may too; otherwise only addresses inside `allowedCidrs`.
 * Host names are not resolved here (the check is pure), so a public name pointing at a private address
 * is not caught at apply time.
 */
export function hostProblem(
  hostname: string,
  environment: Environment,
  allowedCidrs: readonly CidrBlock[],
): string | undefined {
  const { cls, addresses } = classifyHost(hostname);
  if (cls === "public") return undefined;
  if (environment === "development" && (cls === "loopback" || cls === "private")) return undefined;
  if (addresses.some((ip) => allowedCidrs.some((c) => cidrContains(c, ip)))) return undefined;
  return `${hostname} is a ${cls} address; refused unless MeshConfig spec.allowedEndpointCidrs includes it`;
}

/** The host of an endpoint URL (http/https, or the syslog `tcp://` / `tls://` form), normalised like a browser. */
export function urlHost(value: string): string | undefined {
  const syslog = /^(?:tcp|tls):\/\/([^/?#@\s]+):\d+$/.exec(value);
  const candidate = syslog !== null ? `http://${syslog[1] ?? ""}/` : value;
  if (!URL.canParse(candidate)) return undefined;
  const host = new URL(candidate).hostname;
  return host.startsWith("[") ? host.slice(1, -1) : host;
}

function allowedCidrs(index: ReferenceIndex): CidrBlock[] {
  const mesh = ofKind(index.resources, "MeshConfig")[0];
  return (mesh?.spec.allowedEndpointCidrs ?? []).flatMap((c) => {
    const cidr = parseCidr(c);
    return cidr === null ? [] : [cidr];
  });
}

/** Every outbound URL a resource set configures, with its field path. */
function outboundUrls(index: ReferenceIndex): { resource: Resource; path: string; url: string }[] {
  const out: { resource: Resource; path: string; url: string }[] = [];
  for (const svc of ofKind(index.resources, "Service")) {
    (svc.spec.endpoints ?? []).forEach((ep, i) => {
      if (ep.url !== undefined) out.push({ resource: svc, path: `spec.endpoints[${i}].url`, url: ep.url });
    });
  }
  for (const sink of ofKind(index.resources, "TelemetrySink"))
    out.push({ resource: sink, path: "spec.endpoint", url: sink.spec.endpoint });
  for (const ra of ofKind(index.resources, "RequestAuthentication")) {
    (ra.spec.jwtRules ?? []).forEach((rule, i) => {
      if (rule.jwksUri !== undefined)
        out.push({ resource: ra, path: `spec.jwtRules[${i}].jwksUri`, url: rule.jwksUri });
    });
  }
  return out;
}

export function checkEndpoints(index: ReferenceIndex, environment: Environment): ErrorDetail[] {
  const cidrs = allowedCidrs(index);
  const out: ErrorDetail[] = [];
  for (const { resource, path, url } of outboundUrls(index)) {
    const host = urlHost(url);
    const problem = host === undefined ? "is not a valid URL" : hostProblem(host, environment, cidrs);
    if (problem !== undefined) out.push({ document: label(resource), path, message: problem });
  }
  return out;
}
