import { describe, expect, it } from "vitest";
import { cidrContains, classifyIp, parseCidr, parseIp } from "./ip";

describe("parseIp", () => {
  it.each([
    ["1.2.3.4", 4, [1, 2, 3, 4]],
    ["::1", 6, [...Array(15).fill(0), 1]],
    ["[::1]", 6, [...Array(15).fill(0), 1]],
    ["::ffff:127.0.0.1", 6, [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1]],
    ["2001:db8::", 6, [0x20, 0x01, 0x0d, 0xb8, ...Array(12).fill(0)]],
  ])("%s", (text, version, bytes) => expect(parseIp(text)).toEqual({ version, bytes }));

  it.each(["256.1.1.1", "1.2.3", "example.com", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::g", ""])(
    "rejects %j",
    (text) => expect(parseIp(text)).toBeUndefined(),
  );
});

describe("parseCidr / cidrContains", () => {
  it.each([
    ["10.0.0.0/8", "10.255.1.2", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["172.16.0.0/12", "172.31.255.255", true],
    ["172.16.0.0/12", "172.32.0.0", false],
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.1", "127.0.0.2", false],
    ["fd00::/8", "fd12::1", true],
    ["fd00::/8", "fe80::1", false],
    ["0.0.0.0/0", "8.8.8.8", true],
    ["10.0.0.0/8", "::1", false],
  ])("%s contains %s: %s", (cidr, ip, expected) => {
    const c = parseCidr(cidr);
    const a = parseIp(ip);
    expect(c).toBeDefined();
    expect(a).toBeDefined();
    expect(cidrContains(c!, a!)).toBe(expected);
  });

  it.each(["10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "10.0.0.0/8/1", "host/8"])("rejects %j", (text) =>
    expect(parseCidr(text)).toBeUndefined(),
  );
});

describe("classifyIp", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["127.0.0.1", "loopback"],
    ["127.10.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["169.254.169.254", "metadata"],
    ["169.254.1.1", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1", "link-local"],
    ["fd00:ec2::254", "metadata"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:7f00:1::", "loopback"],
    ["2606:4700::1111", "public"],
  ])("%s is %s", (text, cls) => expect(classifyIp(parseIp(text)!)).toBe(cls));
});
