// Host → service key, for ingress hosts (`reviews.localhost`) and egress URL hosts (`reviews.default.svc.cluster.local`).
import { describe, expect, it } from "vitest";
import { parseHostSuffixes, serviceKeyFromHost } from "./host";

describe("serviceKeyFromHost", () => {
  const suffixes = [".localhost", ".mesh.example.com"];
  it.each([
    ["reviews.localhost", false, "default/reviews"],
    ["reviews.prod.localhost", false, "prod/reviews"],
    ["reviews.mesh.example.com", false, "default/reviews"],
    ["a.b.c.localhost", false, null],
    ["localhost", false, null],
    ["reviews", false, null],
    ["under_score.localhost", false, null],
    ["reviews", true, "default/reviews"],
    ["reviews.prod", true, "prod/reviews"],
    ["reviews.prod.svc.cluster.local", true, "prod/reviews"],
    ["reviews.prod.svc", true, "prod/reviews"],
    ["reviews.svc.cluster.local", true, null],
    ["reviews.localhost", true, "default/reviews"],
    ["a.b.c", true, null],
  ])("%s (bare names: %s) → %s", (host, bare, expected) =>
    expect(serviceKeyFromHost(host, suffixes, bare)).toBe(expected),
  );
});

describe("parseHostSuffixes", () => {
  it.each([
    [undefined, [".localhost"]],
    ["", [".localhost"]],
    [".localhost", [".localhost"]],
    ["localhost, .Mesh.Example.com", [".localhost", ".mesh.example.com"]],
  ])("%j → %j", (value, expected) => expect(parseHostSuffixes(value)).toEqual(expected));
});
