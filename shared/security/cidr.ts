// IPv4/IPv6 address and CIDR parsing and matching (AuthorizationPolicy ipBlocks, source.ip, allowed ranges).

/**
 * An address in canonical form. IPv4-mapped IPv6 (`::ffff:10.1.2.3`) is stored as IPv4, so a dual-stack
 * runtime reporting a v4 client in mapped form still matches `10.0.0.0/8` — and cannot dodge a DENY on it.
 */
export interface IpAddress {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
}

export interface CidrBlock extends IpAddress {
  /** Prefix length in bits; host bits of `bytes` are zero. */
  prefix: number;
}

// Decimal octets only, no leading zeros: `010.0.0.1` is octal to some parsers and decimal to others.
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseV4(text: string): Uint8Array | null {
  const m = IPV4.exec(text);
  return m === null ? null : Uint8Array.from(m.slice(1, 5).map(Number));
}

function parseV6(text: string): Uint8Array | null {
  if (text.length < 2 || text.length > 45) return null;
  let groupsText = text;
  let tail: Uint8Array | null = null;
  const lastColon = text.lastIndexOf(":");
  if (lastColon < 0) return null;
  if (text.includes(".", lastColon)) {
    tail = parseV4(text.slice(lastColon + 1));
    if (tail === null) return null;
    // Keep a `::` that directly precedes the dotted quad; drop a single separating `:`.
    groupsText = text.slice(0, lastColon + 1);
    groupsText = groupsText.endsWith("::") ? groupsText : groupsText.slice(0, -1);
  }
  const maxGroups = tail === null ? 8 : 6;
  const halves = groupsText.split("::");
  if (halves.length > 2) return null;
  const split = (s: string | undefined) => (s === undefined || s === "" ? [] : s.split(":"));
  const head = split(halves[0]);
  const rest = split(halves[1]);
  let groups: string[];
  if (halves.length === 2) {
    const missing = maxGroups - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill("0"), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== maxGroups || !groups.every((g) => HEXTET.test(g))) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  if (tail !== null) bytes.set(tail, 12);
  return bytes;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * Parses a literal address: dotted-quad IPv4 or RFC 4291 IPv6 (brackets, zone IDs and anything else
 * refused). Host names are not addresses: null.
 */
export function parseIp(text: string): IpAddress | null {
  if (text.includes(":")) {
    const bytes = parseV6(text);
    if (bytes === null) return null;
    return isV4Mapped(bytes) ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
  }
  const bytes = parseV4(text);
  return bytes === null ? null : { family: 4, bytes };
}

function maskInPlace(bytes: Uint8Array, prefix: number): void {
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - bits)) & 0xff);
  }
}

/**
 * Parses `10.0.0.0/8`, `2001:db8::/32` or a single address (a /32 or /128). Host bits are cleared, as
 * Envoy does. A mapped block (`::ffff:10.0.0.0/104`) becomes the IPv4 block it denotes.
 */
export function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return null;
  if (addrText.includes(":")) {
    const bytes = parseV6(addrText);
    if (bytes === null) return null;
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return null;
    if (isV4Mapped(bytes) && prefix >= 96) {
      const v4 = bytes.slice(12);
      maskInPlace(v4, prefix - 96);
      return { family: 4, bytes: v4, prefix: prefix - 96 };
    }
    maskInPlace(bytes, prefix);
    return { family: 6, bytes, prefix };
  }
  const bytes = parseV4(addrText);
  if (bytes === null) return null;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix > 32) return null;
  maskInPlace(bytes, prefix);
  return { family: 4, bytes, prefix };
}

/** Families never cross: `::/0` does not contain IPv4 clients, as in Envoy. */
export function cidrContains(block: CidrBlock, ip: IpAddress): boolean {
  if (block.family !== ip.family) return false;
  let bits = block.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== (block.bytes[i] ?? 0)) return false;
  }
  return true;
}

export interface IpBlockList {
  blocks: CidrBlock[];
  /** Entries that are not addresses or CIDRs; validation should have refused them. */
  invalid: string[];
}

/** Parses a list such as AuthorizationPolicy `ipBlocks` once per configuration revision. */
export function compileIpBlocks(entries: readonly string[]): IpBlockList {
  const blocks: CidrBlock[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const block = parseCidr(entry.trim());
    if (block === null) invalid.push(entry);
    else blocks.push(block);
  }
  return { blocks, invalid };
}

/** Whether `ip` (text or parsed) falls in any block; an absent or unparseable address matches none. */
export function matchIpBlocks(list: IpBlockList, ip: string | IpAddress | null | undefined): boolean {
  if (ip === null || ip === undefined) return false;
  const addr = typeof ip === "string" ? parseIp(ip) : ip;
  if (addr === null) return false;
  return list.blocks.some((b) => cidrContains(b, addr));
}

/** Canonical text (`10.1.2.3`, `2001:db8::1` without zero compression), for logs and map keys. */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(":");
}
