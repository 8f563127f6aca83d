// Route matching: path, header, query, method and authority conditions, and first-match precedence.
import { describe, expect, it } from "vitest";
import { ServiceModel, type RouteModel } from "../model/snapshot";
import { matchRoute, hostWithoutPort, type RequestFacts } from "./match-route";
import { compileRouteTable } from "./route-table";

type RouteInput = Partial<Omit<RouteModel, "matches">> & { matches?: unknown[] };

function table(routes: RouteInput[]) {
  const svc = ServiceModel.parse({
    name: "reviews",
    namespace: "default",
    routes: routes.map((r, i) => ({ id: `r${i}`, ...r })),
  });
  return compileRouteTable(svc);
}

function req(
  path: string,
  init: { method?: string; headers?: Record<string, string>; authority?: string } = {},
): RequestFacts {
  const [pathname, search = ""] = path.split("?") as [string, string?];
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: init.method ?? "GET",
    path: pathname,
    query: new URLSearchParams(search),
    headers: (n) => headers[n] ?? null,
    authority: init.authority ?? "reviews.localhost:8787",
  };
}

const path = (type: string, value: string, ignoreCase?: boolean) => ({ path: { type, value, ignoreCase } });

describe("path conditions", () => {
  const cases: [string, ReturnType<typeof path>, string, boolean][] = [
    ["PathPrefix matches itself", path("PathPrefix", "/v2"), "/v2", true],
    ["PathPrefix matches trailing slash", path("PathPrefix", "/v2"), "/v2/", true],
    ["PathPrefix matches a sub-path", path("PathPrefix", "/v2"), "/v2/x/y", true],
    ["PathPrefix is segment-wise", path("PathPrefix", "/v2"), "/v2example", false],
    ["PathPrefix ignores the value's trailing slash", path("PathPrefix", "/v2/"), "/v2", true],
    ["PathPrefix / matches everything", path("PathPrefix", "/"), "/anything/at/all", true],
    ["PathPrefix is case-sensitive", path("PathPrefix", "/v2"), "/V2/x", false],
    ["PathPrefix ignoreCase", path("PathPrefix", "/v2", true), "/V2/x", true],
    ["Prefix is a plain string prefix", path("Prefix", "/v2"), "/v2example", true],
    ["Prefix does not match a shorter path", path("Prefix", "/v2/"), "/v2", false],
    ["Exact matches", path("Exact", "/reviews/0"), "/reviews/0", true],
    ["Exact does not match a sub-path", path("Exact", "/reviews"), "/reviews/0", false],
    ["Exact does not match a trailing slash", path("Exact", "/reviews"), "/reviews/", false],
    ["Exact ignoreCase", path("Exact", "/Reviews", true), "/REVIEWS", true],
    ["Exact compares the raw path", path("Exact", "/a b"), "/a%20b", false],
    ["RegularExpression is a full match", path("RegularExpression", "/r/[0-9]+"), "/r/12", true],
    ["RegularExpression is anchored at the end", path("RegularExpression", "/r/[0-9]+"), "/r/12/x", false],
    ["RegularExpression is anchored at the start", path("RegularExpression", "[0-9]+"), "/12", false],
    ["RegularExpression alternation is anchored as a whole", path("RegularExpression", "/a|/b"), "/bx", false],
    ["RegularExpression ignoreCase", path("RegularExpression", "/abc", true), "/ABC", true],
    ["an invalid regex never matches", path("RegularExpression", "/(unclosed"), "/(unclosed", false],
  ];
  it.each(cases)("%s", (_name, match, requestPath, expected) => {
    expect(matchRoute(table([{ matches: [match] }]), req(requestPath)) !== null).toBe(expected);
  });

  it("reports the matched prefix for ReplacePrefixMatch", () => {
    const t = table([{ matches: [path("PathPrefix", "/V2/", true)] }, { matches: [path("Prefix", "/api")] }]);
    expect(matchRoute(t, req("/v2/x"))?.prefixMatched).toEqual({ value: "/v2", segmentWise: true });
    expect(matchRoute(t, req("/apix"))?.prefixMatched).toEqual({ value: "/api", segmentWise: false });
  });

  it("records an invalid regex as a problem", () => {
    expect(table([{ matches: [path("RegularExpression", "(")] }]).problems).toEqual([
      "r0 matches[0]: invalid regex in path (",
    ]);
  });
});

describe("header, query, method and authority conditions", () => {
  const h = (name: string, type: string, value = "", invert?: boolean) => ({
    name: name.toLowerCase(),
    type,
    value,
    invert,
  });
  const cases: [string, object, RequestFacts, boolean][] = [
    [
      "header Exact",
      { headers: [h("end-user", "Exact", "jason")] },
      req("/", { headers: { "End-User": "jason" } }),
      true,
    ],
    [
      "header Exact is case-sensitive in the value",
      { headers: [h("end-user", "Exact", "jason")] },
      req("/", { headers: { "end-user": "Jason" } }),
      false,
    ],
    ["header absent", { headers: [h("end-user", "Exact", "jason")] }, req("/"), false],
    ["header Prefix", { headers: [h("x-v", "Prefix", "v2")] }, req("/", { headers: { "x-v": "v2-beta" } }), true],
    [
      "header RegularExpression is a full match",
      { headers: [h("x-v", "RegularExpression", "v[0-9]")] },
      req("/", { headers: { "x-v": "v22" } }),
      false,
    ],
    ["header Present", { headers: [h("x-debug", "Present")] }, req("/", { headers: { "x-debug": "" } }), true],
    ["header invert: absent matches", { headers: [h("x-debug", "Present", "", true)] }, req("/"), true],
    [
      "header invert: present does not match",
      { headers: [h("x-debug", "Present", "", true)] },
      req("/", { headers: { "x-debug": "1" } }),
      false,
    ],
    [
      "headers are AND-ed",
      { headers: [h("a", "Exact", "1"), h("b", "Exact", "2")] },
      req("/", { headers: { a: "1" } }),
      false,
    ],
    ["query Exact", { queryParams: [{ name: "v", type: "Exact", value: "2" }] }, req("/?v=2"), true],
    [
      "query uses the first value",
      { queryParams: [{ name: "v", type: "Exact", value: "2" }] },
      req("/?v=1&v=2"),
      false,
    ],
    ["query names are case-sensitive", { queryParams: [{ name: "V", type: "Present" }] }, req("/?v=1"), false],
    [
      "query RegularExpression",
      { queryParams: [{ name: "id", type: "RegularExpression", value: "[0-9]+" }] },
      req("/?id=42"),
      true,
    ],
    ["method matches", { method: "POST" }, req("/", { method: "POST" }), true],
    ["method is case-sensitive", { method: "POST" }, req("/", { method: "post" }), false],
    [
      "authority Exact ignores port and case",
      { authority: { type: "Exact", value: "Reviews.localhost" } },
      req("/", { authority: "REVIEWS.localhost:8787" }),
      true,
    ],
    ["authority Exact mismatch", { authority: { type: "Exact", value: "ratings.localhost" } }, req("/"), false],
    ["authority Prefix", { authority: { type: "Prefix", value: "reviews" } }, req("/"), true],
    [
      "authority RegularExpression",
      { authority: { type: "RegularExpression", value: "[a-z]+\\.localhost" } },
      req("/"),
      true,
    ],
  ];
  it.each(cases)("%s", (_name, match, request, expected) => {
    expect(matchRoute(table([{ matches: [match] }]), request) !== null).toBe(expected);
  });
});

describe("precedence", () => {
  it("takes the first matching route in list order, across index buckets", () => {
    const t = table([
      { matches: [{ headers: [{ name: "end-user", type: "Exact", value: "jason" }] }] },
      { matches: [path("Exact", "/reviews/0")] },
      { matches: [path("PathPrefix", "/reviews")] },
      { matches: [path("RegularExpression", "/.*")] },
    ]);
    expect(matchRoute(t, req("/reviews/0", { headers: { "end-user": "jason" } }))?.route.id).toBe("r0");
    expect(matchRoute(t, req("/reviews/0"))?.route.id).toBe("r1");
    expect(matchRoute(t, req("/reviews/1"))?.route.id).toBe("r2");
    expect(matchRoute(t, req("/ratings"))?.route.id).toBe("r3");
  });

  it("ORs the matches of a route and reports which one matched", () => {
    const t = table([{ matches: [path("Exact", "/a"), path("Exact", "/b")] }]);
    expect(matchRoute(t, req("/b"))?.matchIndex).toBe(1);
    expect(matchRoute(t, req("/c"))).toBeNull();
  });

  it("a route without matches matches every request", () => {
    const t = table([{ matches: [path("Exact", "/a")] }, {}]);
    expect(matchRoute(t, req("/zzz"))?.route.id).toBe("r1");
    expect(matchRoute(t, req("/zzz"))?.matchIndex).toBe(-1);
  });

  it("no routes, or none matching, is null", () => {
    expect(matchRoute(table([]), req("/"))).toBeNull();
    expect(matchRoute(table([{ matches: [path("Exact", "/a")] }]), req("/b"))).toBeNull();
  });
});

describe("hostWithoutPort", () => {
  it.each([
    ["Reviews.Localhost:8787", "reviews.localhost"],
    ["reviews", "reviews"],
    ["[::1]:8080", "[::1]"],
  ])("%s → %s", (input, expected) => expect(hostWithoutPort(input)).toBe(expected));
});
