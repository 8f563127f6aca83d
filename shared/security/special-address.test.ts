// Classification of literal addresses for the SSRF guard.
import { describe, expect, it } from "vitest";
import { classifyAddress, isPrivateOrSpecialAddress } from "./special-address";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["2606:4700:4700::1111", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["64:ff9b::7f00:1", "loopback"], // NAT64 to 127.0.0.1
    ["2002:7f00:1::", "loopback"], // 6to4 carrying 127.0.0.1
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["::ffff:192.168.1.1", "private"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["169.254.1.1", "link_local"],
    ["fe80::1", "link_local"],
    ["169.254.169.254", "metadata"],
    ["::ffff:169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["fd12:3456::1", "unique_local"],
    ["fc00::1", "unique_local"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["2001::1", "reserved"], // Teredo
    ["192.0.2.10", "documentation"],
    ["2001:db8::1", "documentation"],
    ["::2", "reserved"],
  ])("%s → %s", (ip, expected) => expect(classifyAddress(ip)).toBe(expected));

  it.each(["localhost", "example.com", "0x7f000001", "010.0.0.1", ""])("%j is not an IP literal", (text) =>
    expect(classifyAddress(text)).toBeNull(),
  );
});

describe("isPrivateOrSpecialAddress", () => {
  it.each([
    ["93.184.216.34", false],
    ["127.0.0.1", true],
    ["10.2.3.4", true],
    ["169.254.169.254", true],
    ["fd00::1", true],
    ["example.com", false],
  ])("%s → %s", (ip, expected) => expect(isPrivateOrSpecialAddress(ip)).toBe(expected));
});
