// Matching edge cases: trailing slashes, percent-encoding, case rules, regex anchoring, empty values.
import { describe, expect, it } from "vitest";
import { ServiceModel } from "../model/snapshot";
import { matchRoute, type RequestFacts } from "./match-route";
import { compileRouteTable } from "./route-table";

function matches(match: object, request: RequestFacts): boolean {
  const table = compileRouteTable(
    ServiceModel.parse({ name: "s", namespace: "default", routes: [{ id: "r", matches: [match] }] }),
  );
  return matchRoute(table, request) !== null;
}

/** `path` may carry a query; header names are looked up lower-case, as `Headers.get` does. */
function req(path: string, headers: Record<string, string> = {}, method = "GET"): RequestFacts {
  const q = path.indexOf("?");
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    path: q === -1 ? path : path.slice(0, q),
    query: new URLSearchParams(q === -1 ? "" : path.slice(q + 1)),
    headers: (n) => lower[n] ?? null,
    authority: "s.localhost",
  };
}

const path = (type: string, value: string, ignoreCase?: boolean) => ({ path: { type, value, ignoreCase } });
const header = (name: string, type: string, value = "") => ({ headers: [{ name: name.toLowerCase(), type, value }] });
const query = (name: string, type: string, value = "") => ({ queryParams: [{ name, type, value }] });

describe.each<[string, [string, object, RequestFacts, boolean][]]>([
  [
    "trailing slashes",
    [
      [
        "PathPrefix /v2/ matches /v2 (the value's slash is not significant)",
        path("PathPrefix", "/v2/"),
        req("/v2"),
        true,
      ],
      [
        "PathPrefix /v2 matches /v2//x (empty segment after a boundary)",
        path("PathPrefix", "/v2"),
        req("/v2//x"),
        true,
      ],
      ["PathPrefix / matches /", path("PathPrefix", "/"), req("/"), true],
      ["Exact /v2/ does not match /v2", path("Exact", "/v2/"), req("/v2"), false],
      ["Exact / matches only /", path("Exact", "/"), req("/x"), false],
      ["Istio prefix /v2/ does not match /v2", path("Prefix", "/v2/"), req("/v2"), false],
    ],
  ],
  [
    "percent-encoding (raw, undecoded path)",
    [
      ["an encoded space matches the same encoding", path("PathPrefix", "/a%20b"), req("/a%20b/c"), true],
      ["an encoded slash is not a segment boundary", path("PathPrefix", "/a"), req("/a%2Fb"), false],
      ["hex case is compared literally", path("Exact", "/caf%C3%A9"), req("/caf%c3%a9"), false],
      ["ignoreCase also folds the hex digits", path("Exact", "/caf%C3%A9", true), req("/caf%c3%a9"), true],
      ["a regex sees the encoded form", path("RegularExpression", "/a%20.*"), req("/a%20b"), true],
    ],
  ],
  [
    "case rules",
    [
      ["paths are case-sensitive", path("Exact", "/Reviews"), req("/reviews"), false],
      ["header names are not", header("X-User", "Exact", "jason"), req("/", { "x-user": "jason" }), true],
      ["header values are", header("x-user", "Exact", "jason"), req("/", { "x-user": "JASON" }), false],
      ["query names are", query("User", "Present"), req("/?user=1"), false],
      ["query values are", query("u", "Exact", "a"), req("/?u=A"), false],
      ["methods compare exactly", { method: "GET" }, req("/", {}, "get"), false],
    ],
  ],
  [
    "regex anchoring",
    [
      [
        "a header regex must match the whole value",
        header("x-v", "RegularExpression", "v1"),
        req("/", { "x-v": "v10" }),
        false,
      ],
      [
        "a header regex anchored by the author still works",
        header("x-v", "RegularExpression", "^v1$"),
        req("/", { "x-v": "v1" }),
        true,
      ],
      ["a query regex must match the whole value", query("id", "RegularExpression", "[0-9]"), req("/?id=12"), false],
      [
        "a path regex with ^…$ already is not double-anchored wrongly",
        path("RegularExpression", "^/x$"),
        req("/x"),
        true,
      ],
      [
        "an alternation cannot escape the anchors",
        header("x-v", "RegularExpression", "a|b"),
        req("/", { "x-v": "ab" }),
        false,
      ],
    ],
  ],
  [
    "empty values",
    [
      ["header Exact '' matches a present empty header", header("x-e", "Exact", ""), req("/", { "x-e": "" }), true],
      ["header Exact '' does not match an absent header", header("x-e", "Exact", ""), req("/"), false],
      ["header Present matches an empty value", header("x-e", "Present"), req("/", { "x-e": "" }), true],
      [
        "header Prefix '' matches any present value",
        header("x-e", "Prefix", ""),
        req("/", { "x-e": "anything" }),
        true,
      ],
      ["query Exact '' matches ?q=", query("q", "Exact", ""), req("/?q="), true],
      ["query Exact '' matches a bare ?q", query("q", "Exact", ""), req("/?q"), true],
      ["query Exact '' does not match an absent parameter", query("q", "Exact", ""), req("/?r="), false],
      ["an empty match list matches everything", {}, req("/anything"), true],
    ],
  ],
])("%s", (_group, cases) => {
  it.each(cases)("%s", (_name, match, request, expected) => expect(matches(match, request)).toBe(expected));
});
