// Principals, SPIFFE IDs and Istio's `*` wildcard matching.
import { describe, expect, it } from "vitest";
import {
  matchIstioString,
  matchRequestPrincipal,
  parsePrincipal,
  parseSpiffeId,
  principalFor,
  principalFromSpiffeId,
  spiffeIdFor,
} from "./principal";

describe("principalFor / spiffeIdFor", () => {
  it("builds Istio's principal and the SPIFFE ID", () => {
    expect(principalFor("cluster.local", "default", "productpage")).toBe("cluster.local/ns/default/sa/productpage");
    expect(spiffeIdFor("cluster.local", "default", "productpage")).toBe(
      "spiffe://cluster.local/ns/default/sa/productpage",
    );
  });
});

describe("parseSpiffeId", () => {
  it.each([
    [
      "spiffe://cluster.local/ns/default/sa/bookinfo-reviews",
      { trustDomain: "cluster.local", namespace: "default", serviceAccount: "bookinfo-reviews" },
    ],
    [
      "spiffe://example.org/ns/prod/sa/ratings",
      { trustDomain: "example.org", namespace: "prod", serviceAccount: "ratings" },
    ],
  ])("%s parses", (uri, expected) => expect(parseSpiffeId(uri)).toEqual(expected));

  it.each([
    ["SPIFFE://cluster.local/ns/default/sa/x", "upper-case scheme"],
    ["spiffe://Cluster.Local/ns/default/sa/x", "upper-case trust domain"],
    ["spiffe://cluster.local/ns/default/sa/x/extra", "extra segment"],
    ["spiffe://cluster.local/ns/default/sa/", "empty service account"],
    ["spiffe://cluster.local/ns//sa/x", "empty namespace"],
    ["spiffe://cluster.local/ns/../sa/x", "dot-dot segment"],
    ["spiffe://cluster.local/ns/default/sa/x?y=1", "query"],
    ["spiffe://cluster.local/ns/default/sa/x#f", "fragment"],
    ["spiffe://cluster.local:443/ns/default/sa/x", "port"],
    ["spiffe://user@cluster.local/ns/default/sa/x", "user info"],
    ["spiffe://cluster.local/ns/def%61ult/sa/x", "percent-encoding"],
    ["spiffe://cluster.local/sa/x/ns/default", "segments swapped"],
    ["https://cluster.local/ns/default/sa/x", "wrong scheme"],
    ["cluster.local/ns/default/sa/x", "no scheme"],
    ["spiffe://cluster.local/ns/default/sa/" + "a".repeat(2100), "too long"],
  ])("%s is refused (%s)", (uri) => expect(parseSpiffeId(uri)).toBeNull());

  it("maps a SPIFFE ID to its principal", () => {
    expect(principalFromSpiffeId("spiffe://cluster.local/ns/default/sa/reviews")).toBe(
      "cluster.local/ns/default/sa/reviews",
    );
    expect(principalFromSpiffeId("spiffe://cluster.local/ns/default")).toBeNull();
  });

  it("parsePrincipal reads the principal form", () => {
    expect(parsePrincipal("cluster.local/ns/foo/sa/bar")).toEqual({
      trustDomain: "cluster.local",
      namespace: "foo",
      serviceAccount: "bar",
    });
    expect(parsePrincipal("spiffe://cluster.local/ns/foo/sa/bar")).toBeNull();
  });
});

describe("matchIstioString", () => {
  it.each([
    ["*", "anything", true],
    ["*", "", false],
    ["*", undefined, false],
    ["cluster.local/ns/default/*", "cluster.local/ns/default/sa/x", true],
    ["cluster.local/ns/default/*", "cluster.local/ns/other/sa/x", false],
    ["*/sa/productpage", "cluster.local/ns/default/sa/productpage", true],
    ["*/sa/productpage", "cluster.local/ns/default/sa/productpage-v2", false],
    ["/api/*", "/api/v1", true],
    ["/api/*", "/apix", false],
    ["exact", "exact", true],
    ["exact", "Exact", false],
    // `*` is checked as a prefix wildcard first, so `*a*` is the suffix `a*` (literal star), as in istiod.
    ["*a*", "xa*", true],
    ["*a*", "xab", false],
  ])("%j ~ %j → %s", (pattern, value, expected) => expect(matchIstioString(pattern, value)).toBe(expected));
});

describe("matchRequestPrincipal", () => {
  const iss = "https://issuer.example.com";
  it.each([
    ["*", iss, "alice", true],
    ["*", iss, "", false],
    ["*", undefined, undefined, false],
    [`${iss}/alice`, iss, "alice", true],
    [`${iss}/alice`, iss, "bob", false],
    [`${iss}/*`, iss, "bob", true],
    [`${iss}/*`, "https://other", "bob", false],
    [`${iss}/al*`, iss, "alice", true],
    ["*/alice", "https://any.example", "alice", true],
    ["*.example.com/alice", iss, "alice", true],
    ["*.example.com/alice", "https://evil.org", "alice", false],
    ["*ice", iss, "alice", true],
    ["accounts*", "accounts.example", "anyone", true],
    // The split is at the LAST `/`, so a URL issuer with a trailing `*` is (iss `https:/`, sub `issuer*`): no match.
    ["https://issuer*", iss, "anyone", false],
    ["testing@secure.istio.io/testing@secure.istio.io", "testing@secure.istio.io", "testing@secure.istio.io", true],
  ])("%s vs %s/%s → %s", (pattern, i, s, expected) => expect(matchRequestPrincipal(pattern, i, s)).toBe(expected));
});
