// IP address and CIDR parsing, and classification of addresses (loopback, private, link-local, metadata…).

export interface IpAddress {
  version: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: number[];
}

export interface Cidr extends IpAddress {
  prefix: number;
}

export type AddressClass = "public" | "loopback" | "private" | "link-local" | "metadata" | "unspecified" | "reserved";

function parseIPv4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function parseIPv6(text: string): number[] | undefined {
  let s = text;
  let tailV4: number[] = [];
  if (s.includes(".")) {
    const cut = s.lastIndexOf(":");
    const v4 = parseIPv4(s.slice(cut + 1));
    if (v4 === undefined) return undefined;
    tailV4 = v4;
    s = s.slice(0, cut + 1) + "0:0"; // placeholder groups, overwritten below
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" || halves[0] === undefined ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== "" && halves[1] !== undefined ? halves[1].split(":") : [];
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && head.length + tail.length > 7) return undefined;
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (tailV4.length === 4) bytes.splice(12, 4, ...tailV4);
  return bytes;
}

/** Parses `1.2.3.4`, `::1`, `[::1]`; undefined for anything else (including host names). */
export function parseIp(text: string): IpAddress | undefined {
  const s = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (s.includes(":")) {
    const bytes = parseIPv6(s);
    return bytes === undefined ? undefined : { version: 6, bytes };
  }
  const bytes = parseIPv4(s);
  return bytes === undefined ? undefined : { version: 4, bytes };
}

/** Parses `10.0.0.0/8`, `fd00::/8`, or a bare address (a host route). */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefixText, extra] = text.split("/");
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (ip === undefined) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...ip, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { ...ip, prefix } : undefined;
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.version !== ip.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((cidr.bytes[i] ?? 0) & mask) !== ((ip.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function inV4(ip: number[], cidr: string): boolean {
  const c = parseCidr(cidr);
  return c !== undefined && cidrContains(c, { version: 4, bytes: ip });
}

/** The IPv4 address an IPv6 address carries (mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`). */
export function embeddedIPv4(ip: IpAddress): number[] | undefined {
  if (ip.version !== 6) return undefined;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12, 16);
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  return undefined;
}

function classifyV4(ip: number[]): AddressClass {
  if (inV4(ip, "0.0.0.0/8")) return "unspecified";
  if (inV4(ip, "127.0.0.0/8")) return "loopback";
  if (inV4(ip, "169.254.169.254/32") || inV4(ip, "169.254.170.2/32")) return "metadata";
  if (inV4(ip, "169.254.0.0/16")) return "link-local";
  for (const c of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "198.18.0.0/15"]) {
    if (inV4(ip, c)) return "private";
  }
  if (inV4(ip, "192.0.0.0/24") || inV4(ip, "224.0.0.0/4") || inV4(ip, "240.0.0.0/4")) return "reserved";
  return "public";
}

/** Which kind of address this is, for the endpoint (SSRF) policy. */
export function classifyIp(ip: IpAddress): AddressClass {
  if (ip.version === 4) return classifyV4(ip.bytes);
  const v4 = embeddedIPv4(ip);
  if (v4 !== undefined) return classifyV4(v4);
  const b = ip.bytes;
  if (b.every((x) => x === 0)) return "unspecified";
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return "loopback";
  // AWS IMDS over IPv6: fd00:ec2::254
  const imds = parseCidr("fd00:ec2::254/128");
  if (imds !== undefined && cidrContains(imds, ip)) return "metadata";
  const first = b[0] ?? 0;
  if ((first & 0xfe) === 0xfc) return "private";
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return "link-local";
  if (first === 0xff) return "reserved";
  return "public";
}
