// Classification of literal IP addresses (loopback, private, link-local, metadata…) for the SSRF guard.
import { cidrContains, parseCidr, parseIp, type CidrBlock, type IpAddress } from "./cidr";

export type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  /** RFC 6598 carrier-grade NAT, 100.64.0.0/10. */
  | "shared"
  | "link_local"
  /** Cloud instance-metadata endpoints: credentials live there, the classic SSRF target. */
  | "metadata"
  /** IPv6 ULA fc00::/7. */
  | "unique_local"
  | "multicast"
  | "broadcast"
  | "documentation"
  | "reserved";

// Most specific first: the first block that contains the address decides.
const TABLE: ReadonlyArray<readonly [string, AddressClass]> = [
  ["169.254.169.254/32", "metadata"], // AWS, GCP, Azure, OCI, DigitalOcean
  ["169.254.170.2/32", "metadata"], // AWS ECS task credentials
  ["100.100.100.200/32", "metadata"], // Alibaba Cloud
  ["fd00:ec2::254/128", "metadata"], // AWS IMDS over IPv6
  ["0.0.0.0/8", "unspecified"],
  ["127.0.0.0/8", "loopback"],
  ["10.0.0.0/8", "private"],
  ["172.16.0.0/12", "private"],
  ["192.168.0.0/16", "private"],
  ["100.64.0.0/10", "shared"],
  ["169.254.0.0/16", "link_local"],
  ["192.0.0.0/24", "reserved"], // IETF protocol assignments
  ["192.0.2.0/24", "documentation"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["192.88.99.0/24", "reserved"], // deprecated 6to4 relay anycast
  ["198.18.0.0/15", "reserved"], // benchmarking
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["::/96", "reserved"], // deprecated IPv4-compatible addresses
  ["64:ff9b:1::/48", "private"], // local-use NAT64
  ["100::/64", "reserved"], // discard-only
  ["2001:db8::/32", "documentation"],
  ["2001::/23", "reserved"], // IETF protocol assignments, incl. Teredo (which hides an IPv4 address)
  ["fc00::/7", "unique_local"],
  ["fe80::/10", "link_local"],
  ["fec0::/10", "private"], // deprecated site-local
  ["ff00::/8", "multicast"],
];

const BLOCKS: ReadonlyArray<readonly [CidrBlock, AddressClass]> = TABLE.map(([text, cls]) => {
  const block = parseCidr(text);
  if (block === null) throw new Error(`bad built-in CIDR ${text}`);
  return [block, cls] as const;
});

/**
 * An IPv6 address that carries an IPv4 address the network will deliver to (NAT64 64:ff9b::/96, 6to4
 * 2002::/16) is classified by that IPv4 address: `64:ff9b::7f00:1` reaches 127.0.0.1.
 */
function embeddedIPv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  const b = ip.bytes;
  const nat64 =
    b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.subarray(4, 12).every((x) => x === 0);
  if (nat64) return { family: 4, bytes: b.slice(12, 16) };
  if (b[0] === 0x20 && b[1] === 0x02) return { family: 4, bytes: b.slice(2, 6) };
  return null;
}

function classifyParsed(ip: IpAddress): AddressClass {
  const inner = embeddedIPv4(ip);
  if (inner !== null) return classifyParsed(inner);
  for (const [block, cls] of BLOCKS) if (cidrContains(block, ip)) return cls;
  return "public";
}

/**
 * The class of a literal address (`10.0.0.1`, `::1`, `[::1]` as in URL host names), or null when `text`
 * is not an IP literal — host names are the caller's to resolve or refuse.
 */
export function classifyAddress(text: string): AddressClass | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const ip = parseIp(bare);
  return ip === null ? null : classifyParsed(ip);
}

/** True for every literal address that is not plainly public; false for public addresses and host names. */
export function isPrivateOrSpecialAddress(text: string): boolean {
  const cls = classifyAddress(text);
  return cls !== null && cls !== "public";
}
