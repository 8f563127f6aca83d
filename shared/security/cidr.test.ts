// IPv4/IPv6 parsing and CIDR matching, including IPv4-mapped IPv6.
import { describe, expect, it } from "vitest";
import { cidrContains, compileIpBlocks, formatIp, matchIpBlocks, parseCidr, parseIp } from "./cidr";

describe("parseIp", () => {
  it.each([
    ["10.1.2.3", "10.1.2.3"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["::", "0:0:0:0:0:0:0:0"],
    ["::1", "0:0:0:0:0:0:0:1"],
    ["2001:db8::1", "2001:db8:0:0:0:0:0:1"],
    ["2001:DB8:0:0:1::", "2001:db8:0:0:1:0:0:0"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["::ffff:a01:203", "10.1.2.3"],
    ["64:ff9b::127.0.0.1", "64:ff9b:0:0:0:0:7f00:1"],
    ["::1.2.3.4", "0:0:0:0:0:0:102:304"],
  ])("%s → %s", (text, canonical) => {
    const ip = parseIp(text);
    expect(ip).not.toBeNull();
    expect(formatIp(ip!)).toBe(canonical);
  });

  it.each([
    "010.0.0.1", // leading zero: octal to some parsers
    "256.0.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "0x7f.0.0.1",
    "2130706433",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":::",
    "1:2:3:4:5:6:7::8", // `::` standing for zero groups
    "12345::",
    "fe80::1%eth0",
    "[::1]",
    "::ffff:1.2.3",
    "1.2.3.4:80",
    "localhost",
    "",
  ])("%j is not an address", (text) => expect(parseIp(text)).toBeNull());
});

describe("parseCidr / cidrContains", () => {
  it.each([
    ["10.0.0.0/8", "10.255.1.2", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["10.1.2.3/8", "10.9.9.9", true], // host bits are cleared, as Envoy does
    ["192.168.1.7", "192.168.1.7", true],
    ["192.168.1.7", "192.168.1.8", false],
    ["0.0.0.0/0", "8.8.8.8", true],
    ["172.16.0.0/12", "172.31.255.255", true],
    ["172.16.0.0/12", "172.32.0.0", false],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["fe80::/10", "febf::1", true],
    ["::/0", "2606:4700::1", true],
    ["::/0", "1.2.3.4", false], // families never cross
    ["0.0.0.0/0", "::1", false],
    ["10.0.0.0/8", "::ffff:10.0.0.1", true], // mapped client address matches the IPv4 block
    ["::ffff:10.0.0.0/104", "10.3.3.3", true], // mapped block is the IPv4 block 10.0.0.0/8
    ["::ffff:10.0.0.0/104", "11.3.3.3", false],
    ["1.2.3.4/31", "1.2.3.5", true],
    ["1.2.3.4/31", "1.2.3.6", false],
  ])("%s contains %s → %s", (cidr, ip, expected) => {
    const block = parseCidr(cidr);
    const addr = parseIp(ip);
    expect(block).not.toBeNull();
    expect(addr).not.toBeNull();
    expect(cidrContains(block!, addr!)).toBe(expected);
  });

  it.each(["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/8/8", "10.0.0.0/-1", "nope/8", "/8"])(
    "%j is refused",
    (text) => expect(parseCidr(text)).toBeNull(),
  );
});

describe("compileIpBlocks / matchIpBlocks", () => {
  const list = compileIpBlocks(["10.0.0.0/8", " 192.168.0.1 ", "2001:db8::/32", "bogus"]);
  it("keeps valid blocks and reports invalid ones", () => {
    expect(list.blocks).toHaveLength(3);
    expect(list.invalid).toEqual(["bogus"]);
  });
  it.each([
    ["10.1.1.1", true],
    ["192.168.0.1", true],
    ["192.168.0.2", false],
    ["2001:db8::5", true],
    ["::ffff:10.0.0.9", true],
    ["not-an-ip", false],
    [undefined, false],
  ])("%s → %s", (ip, expected) => expect(matchIpBlocks(list, ip)).toBe(expected));
});
