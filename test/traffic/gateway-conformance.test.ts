// Gateway API mesh conformance (kubernetes-sigs/gateway-api conformance/tests/mesh/*), reproduced against the
// running mesh: each suite applies the upstream HTTPRoute YAML through the control API, waits until the proxy
// serves it, then replays the upstream cases over real HTTP. The upstream `echo-v1` / `echo-v2` pods are loopback
// echo servers (./echo-server); `echo` is the Service over both. Host `echo` becomes `echo.<ns>.localhost`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { send, type RawResult } from "./client";
import { startEcho, type EchoAnswer, type EchoServer } from "./echo-server";
import { apply, applyAndWait, remove, servedEverywhere } from "./mesh-admin";

const NS = "gateway-conformance-mesh";
const host = (service: string) => `${service}.${NS}.localhost`;

let mesh: TestMesh;
let v1: EchoServer;
let v2: EchoServer;

beforeAll(async () => {
  [v1, v2] = await Promise.all([startEcho("echo-v1"), startEcho("echo-v2")]);
  mesh = await startMesh();
  const service = (name: string, ...backends: EchoServer[]) => `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: ${name}, namespace: ${NS}}
spec:
  endpoints:
${backends.map((b) => `    - {url: "${b.url}", labels: {version: ${b.name.slice(5)}}}`).join("\n")}
`;
  const revision = await apply(
    mesh,
    [service("echo", v1, v2), service("echo-v1", v1), service("echo-v2", v2)].join("---\n"),
  );
  await servedEverywhere(mesh, revision, host("echo"));
});

afterAll(async () => {
  await mesh?.stop();
  await Promise.all([v1, v2].map((s) => s?.close()));
});

/** One upstream `http.ExpectedResponse`, in the fields the mesh tests use. */
interface Case {
  name: string;
  /** `host` is the upstream short name (`echo`); `authority` a whole Host header instead. */
  request: { path?: string; host?: string; authority?: string; method?: string; headers?: Record<string, string> };
  /** Status; 200 unless a redirect or error is expected. */
  status?: number;
  backend?: "echo-v1" | "echo-v2";
  /** What the backend must have seen (`ExpectedRequest`). */
  seen?: { path?: string; headers?: Record<string, string>; absent?: string[] };
  /** Response headers (`Response.Headers` / `Response.AbsentHeaders`). */
  responseHeaders?: Record<string, string>;
  absentResponseHeaders?: string[];
  /** `RedirectRequest`: the Location's parts; unset parts default to the request's (scheme http, no port). */
  redirect?: { scheme?: string; host?: string; port?: string; path?: string };
}

interface Suite {
  /** The upstream test's ShortName. */
  name: string;
  /** The upstream manifest (`tests/mesh/<file>.yaml`), namespace as upstream. */
  yaml?: string;
  /** The HTTPRoutes the manifest creates, deleted after the suite. */
  routes?: string[];
  cases: Case[];
}

/** Header values compare as lists: `a,b` and `a, b` are the same two values. */
const values = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim());

async function check(c: Case): Promise<void> {
  const path = c.request.path ?? "/";
  const res = await send(mesh.port, c.request.authority ?? host(c.request.host ?? "echo"), path, {
    method: c.request.method ?? "GET",
    headers: c.request.headers ?? {},
  });
  const expected = c.status ?? (c.redirect ? 302 : 200);
  expect(res.status, `${c.name}: ${res.text}`).toBe(expected);
  if (c.backend || c.seen) {
    const answer = JSON.parse(res.text) as EchoAnswer;
    if (c.backend) expect(answer.backend, c.name).toBe(c.backend);
    if (c.seen?.path !== undefined) expect(answer.path, c.name).toBe(c.seen.path);
    for (const [name, value] of Object.entries(c.seen?.headers ?? {})) {
      expect(values(answer.headers[name.toLowerCase()]), `${c.name}: request header ${name}`).toEqual(values(value));
    }
    for (const name of c.seen?.absent ?? []) {
      expect(answer.headers[name.toLowerCase()], `${c.name}: request header ${name}`).toBeUndefined();
    }
  }
  checkResponseHeaders(c, res);
  if (c.redirect) {
    const location = new URL(String(res.headers.location));
    const r = c.redirect;
    expect(location.protocol, c.name).toBe(`${r.scheme ?? "http"}:`);
    expect(location.hostname, c.name).toBe(r.host ?? host(c.request.host ?? "echo"));
    expect(location.port, c.name).toBe(r.port ?? "");
    expect(location.pathname, c.name).toBe(r.path ?? path.split("?")[0]);
  }
}

function checkResponseHeaders(c: Case, res: RawResult): void {
  for (const [name, value] of Object.entries(c.responseHeaders ?? {})) {
    const got = res.headers[name.toLowerCase()];
    expect(values(Array.isArray(got) ? got.join(",") : got), `${c.name}: response header ${name}`).toEqual(
      values(value),
    );
  }
  for (const name of c.absentResponseHeaders ?? []) {
    expect(res.headers[name.toLowerCase()], `${c.name}: response header ${name}`).toBeUndefined();
  }
}

const route = (name: string, parent: string, rules: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${NS}}
spec:
  parentRefs:
  - {group: "", kind: Service, name: ${parent}, port: 80}
  rules:
${rules}`;

const redirectRule = (prefix: string, redirect: string) => `
  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    filters:
    - type: RequestRedirect
      requestRedirect: ${redirect}`;

const modifierRule = (prefix: string, filter: string, modifier: string, backendFilter = false) =>
  backendFilter
    ? `
  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    backendRefs:
    - name: echo-v1
      port: 8080
      filters: [{type: ${filter}, ${filter[0]!.toLowerCase()}${filter.slice(1)}: ${modifier}}]`
    : `
  - matches: [{path: {type: PathPrefix, value: ${prefix}}}]
    filters: [{type: ${filter}, ${filter[0]!.toLowerCase()}${filter.slice(1)}: ${modifier}}]
    backendRefs: [{name: echo-v1, port: 8080}]`;

/** tests/mesh/httproute-request-header-modifier{,-backend}.yaml: the same rules on the rule or on the backendRef. */
const headerModifierRules = (onBackend: boolean) =>
  [
    modifierRule(
      "/set",
      "RequestHeaderModifier",
      `{set: [{name: X-Header-Set, value: set-overwrites-values}]}`,
      onBackend,
    ),
    modifierRule(
      "/add",
      "RequestHeaderModifier",
      `{add: [{name: X-Header-Add, value: add-appends-values}]}`,
      onBackend,
    ),
    modifierRule("/remove", "RequestHeaderModifier", `{remove: [X-Header-Remove]}`, onBackend),
    modifierRule(
      "/multiple",
      "RequestHeaderModifier",
      `{set: [{name: X-Header-Set-1, value: header-set-1}, {name: X-Header-Set-2, value: header-set-2}],
        add: [{name: X-Header-Add-1, value: header-add-1}, {name: X-Header-Add-2, value: header-add-2},
              {name: X-Header-Add-3, value: header-add-3}],
        remove: [X-Header-Remove-1, X-Header-Remove-2]}`,
      onBackend,
    ),
    modifierRule(
      "/case-insensitivity",
      "RequestHeaderModifier",
      `{set: [{name: X-Header-Set, value: header-set}], add: [{name: X-Header-Add, value: header-add}],
        remove: [X-Header-Remove]}`,
      onBackend,
    ),
  ].join("");

const headerModifierCases: Case[] = [
  {
    name: "set adds a header",
    request: { path: "/set", headers: { "Some-Other-Header": "val" } },
    backend: "echo-v1",
    seen: { path: "/set", headers: { "Some-Other-Header": "val", "X-Header-Set": "set-overwrites-values" } },
  },
  {
    name: "set overwrites a header",
    request: { path: "/set", headers: { "Some-Other-Header": "val", "X-Header-Set": "some-other-value" } },
    backend: "echo-v1",
    seen: { headers: { "Some-Other-Header": "val", "X-Header-Set": "set-overwrites-values" } },
  },
  {
    name: "add adds a header",
    request: { path: "/add", headers: { "Some-Other-Header": "val" } },
    backend: "echo-v1",
    seen: { headers: { "Some-Other-Header": "val", "X-Header-Add": "add-appends-values" } },
  },
  {
    name: "add appends to a header",
    request: { path: "/add", headers: { "Some-Other-Header": "val", "X-Header-Add": "some-other-value" } },
    backend: "echo-v1",
    seen: { headers: { "Some-Other-Header": "val", "X-Header-Add": "some-other-value,add-appends-values" } },
  },
  {
    name: "remove removes a header",
    request: { path: "/remove", headers: { "X-Header-Remove": "val" } },
    backend: "echo-v1",
    seen: { path: "/remove", absent: ["X-Header-Remove"] },
  },
  {
    name: "set, add and remove together",
    request: {
      path: "/multiple",
      headers: {
        "X-Header-Set-2": "set-val-2",
        "X-Header-Add-2": "add-val-2",
        "X-Header-Remove-2": "remove-val-2",
        "Another-Header": "another-header-val",
      },
    },
    backend: "echo-v1",
    seen: {
      headers: {
        "X-Header-Set-1": "header-set-1",
        "X-Header-Set-2": "header-set-2",
        "X-Header-Add-1": "header-add-1",
        "X-Header-Add-2": "add-val-2,header-add-2",
        "X-Header-Add-3": "header-add-3",
        "Another-Header": "another-header-val",
      },
      absent: ["X-Header-Remove-1", "X-Header-Remove-2"],
    },
  },
  {
    name: "header names are case-insensitive",
    request: {
      path: "/case-insensitivity",
      headers: {
        "x-header-set": "original-val-set",
        "x-header-add": "original-val-add",
        "x-header-remove": "original-val-remove",
        "Another-Header": "another-header-val",
      },
    },
    backend: "echo-v1",
    seen: {
      headers: {
        "X-Header-Set": "header-set",
        "X-Header-Add": "original-val-add,header-add",
        "Another-Header": "another-header-val",
      },
      absent: ["x-header-remove"],
    },
  },
];

/** The redirect suites' cases share a shape: a path, a status, the expected Location parts. */
const redirect = (path: string, status: number, parts: Case["redirect"]): Case => ({
  name: `${path} → ${status} ${JSON.stringify(parts)}`,
  request: { path },
  status,
  redirect: parts,
});

const SUITES: Suite[] = [
  {
    name: "MeshBasic",
    cases: [{ name: "a Service without routes answers", request: { host: "echo" } }],
  },
  {
    name: "MeshHTTPRouteSimpleSameNamespace",
    yaml: route("mesh-simple-same-namespace", "echo", `  - backendRefs: [{name: echo-v1, port: 8080}]`),
    routes: ["mesh-simple-same-namespace"],
    cases: [{ name: "simple request reaches echo-v1", request: { path: "/" }, backend: "echo-v1" }],
  },
  {
    name: "MeshHTTPRouteMatching",
    yaml: route(
      "mesh-matching",
      "echo",
      `  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: echo-v2, port: 8080}]`,
    ),
    routes: ["mesh-matching"],
    cases: [
      { name: "/", request: { path: "/" }, backend: "echo-v1" },
      { name: "/example", request: { path: "/example" }, backend: "echo-v1" },
      { name: "/ version:one", request: { path: "/", headers: { Version: "one" } }, backend: "echo-v1" },
      { name: "/v2", request: { path: "/v2" }, backend: "echo-v2" },
      { name: "/v2/example", request: { path: "/v2/example" }, backend: "echo-v2" },
      { name: "/ version:two", request: { path: "/", headers: { Version: "two" } }, backend: "echo-v2" },
      { name: "/v2/", request: { path: "/v2/" }, backend: "echo-v2" },
      { name: "/v2example is not under /v2", request: { path: "/v2example" }, backend: "echo-v1" },
      { name: "/foo/v2/example", request: { path: "/foo/v2/example" }, backend: "echo-v1" },
    ],
  },
  {
    name: "MeshHTTPRouteQueryParamMatching",
    yaml: route(
      "mesh-query-param-matching",
      "echo",
      `  - matches: [{queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: dolphin}]}]
    backendRefs: [{name: echo-v2, port: 8080}]
  # Combinations with core match types.
  - matches: [{path: {type: PathPrefix, value: /path1}, queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{headers: [{name: version, value: one}], queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: echo-v2, port: 8080}]
  # (cond1 AND cond2) OR (cond3 AND cond4 AND cond5)
  - matches:
    - {path: {type: PathPrefix, value: /path3}, queryParams: [{name: animal, value: shark}]}
    - path: {type: PathPrefix, value: /path4}
      headers: [{name: version, value: three}]
      queryParams: [{name: animal, value: kraken}]
    backendRefs: [{name: echo-v1, port: 8080}]
  # Precedence: the longer path wins over the query parameter.
  - matches: [{path: {type: PathPrefix, value: /path5}}]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: hydra}]}]
    backendRefs: [{name: echo-v2, port: 8080}]`,
    ),
    routes: ["mesh-query-param-matching"],
    cases: [
      { name: "?animal=whale", request: { path: "/?animal=whale" }, backend: "echo-v1" },
      { name: "?animal=dolphin", request: { path: "/?animal=dolphin" }, backend: "echo-v2" },
      { name: "extra params ignored", request: { path: "/?animal=whale&otherparam=irrelevant" }, backend: "echo-v1" },
      { name: "extra params ignored (2)", request: { path: "/?animal=dolphin&color=yellow" }, backend: "echo-v2" },
      { name: "?color=blue", request: { path: "/?color=blue" }, status: 404 },
      { name: "?animal=dog", request: { path: "/?animal=dog" }, status: 404 },
      { name: "?animal=whaledolphin", request: { path: "/?animal=whaledolphin" }, status: 404 },
      { name: "no query", request: { path: "/" }, status: 404 },
      { name: "path AND query", request: { path: "/path1?animal=whale" }, backend: "echo-v1" },
      {
        name: "header AND query beats query alone",
        request: { path: "/?animal=whale", headers: { version: "one" } },
        backend: "echo-v2",
      },
      { name: "first of OR-ed matches", request: { path: "/path3?animal=shark" }, backend: "echo-v1" },
      {
        name: "second of OR-ed matches",
        request: { path: "/path4?animal=kraken", headers: { version: "three" } },
        backend: "echo-v1",
      },
      { name: "query alone does not satisfy an AND", request: { path: "/?animal=shark" }, status: 404 },
      { name: "two of three ANDed conditions", request: { path: "/path4?animal=kraken" }, status: 404 },
      { name: "longest path beats a query match", request: { path: "/path5?animal=hydra" }, backend: "echo-v1" },
    ],
  },
  {
    name: "MeshTrafficSplit",
    yaml: route(
      "mesh-split",
      "echo",
      `  - matches: [{path: {type: Exact, value: /v1}}]
    backendRefs: [{name: echo-v1, port: 80}]
  - matches: [{path: {type: Exact, value: /v2}}]
    backendRefs: [{name: echo-v2, port: 80}]`,
    ),
    routes: ["mesh-split"],
    cases: [
      { name: "/v1", request: { path: "/v1" }, backend: "echo-v1" },
      { name: "/v2", request: { path: "/v2" }, backend: "echo-v2" },
    ],
  },
  {
    name: "MeshFrontend",
    yaml: route(
      "mesh-frontend",
      "echo-v2",
      `  - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: set}]}}]
    backendRefs: [{name: echo-v2, port: 80}]`,
    ),
    routes: ["mesh-frontend"],
    cases: [
      {
        name: "send to service",
        request: { host: "echo-v2" },
        backend: "echo-v2",
        responseHeaders: { "X-Header-Set": "set" },
      },
      // "Send to pod IP" has no Host → service mapping here; the equivalent is in the extra test below.
    ],
  },
  {
    name: "MeshPorts (no port set: the route applies whatever port the Host names)",
    yaml: route(
      "mesh-ports",
      "echo-v2",
      `  - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: v2}]}}]
    backendRefs: [{name: echo-v2, port: 8080}]`,
    ),
    routes: ["mesh-ports"],
    cases: [
      { name: "echo-v2", request: { host: "echo-v2" }, backend: "echo-v2", responseHeaders: { "X-Header-Set": "v2" } },
      // Host `echo-v2:8080` is `echo-v2.<ns>.localhost:8080` here.
      {
        name: "echo-v2:8080",
        request: { authority: `${host("echo-v2")}:8080` },
        backend: "echo-v2",
        responseHeaders: { "X-Header-Set": "v2" },
      },
    ],
  },
  {
    name: "MeshHTTPRouteRequestHeaderModifier",
    yaml: route("mesh-request-header-modifier", "echo", headerModifierRules(false)),
    routes: ["mesh-request-header-modifier"],
    cases: headerModifierCases,
  },
  {
    name: "MeshHTTPRouteBackendRequestHeaderModifier",
    yaml: route("mesh-request-header-modifier-backend", "echo", headerModifierRules(true)),
    routes: ["mesh-request-header-modifier-backend"],
    cases: headerModifierCases,
  },
  {
    name: "MeshHTTPRouteRedirectPath",
    yaml: route(
      "mesh-redirect-path",
      "echo",
      [
        redirectRule("/original-prefix", "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}"),
        redirectRule("/full", "{path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}}"),
        redirectRule(
          "/path-and-host",
          "{hostname: example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}",
        ),
        redirectRule(
          "/path-and-status",
          "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}, statusCode: 301}",
        ),
        redirectRule(
          "/full-path-and-host",
          "{hostname: example.org, path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}}",
        ),
        redirectRule(
          "/full-path-and-status",
          "{path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}, statusCode: 301}",
        ),
      ].join(""),
    ),
    routes: ["mesh-redirect-path"],
    cases: [
      redirect("/original-prefix/lemon", 302, { path: "/replacement-prefix/lemon" }),
      redirect("/full/path/original", 302, { path: "/full-path-replacement" }),
      redirect("/path-and-host", 302, { host: "example.org", path: "/replacement-prefix" }),
      redirect("/path-and-status", 301, { path: "/replacement-prefix" }),
      redirect("/full-path-and-host", 302, { host: "example.org", path: "/replacement-full" }),
      redirect("/full-path-and-status", 301, { path: "/replacement-full" }),
    ],
  },
  {
    name: "MeshHTTPRouteRedirectPort",
    yaml: route(
      "mesh-redirect-port",
      "echo",
      [
        redirectRule("/port", "{port: 8083}"),
        redirectRule("/port-and-host", "{hostname: example.org, port: 8083}"),
        redirectRule("/port-and-status", "{port: 8083, statusCode: 301}"),
        redirectRule("/port-and-host-and-status", "{port: 8083, hostname: example.org, statusCode: 302}"),
      ].join(""),
    ),
    routes: ["mesh-redirect-port"],
    cases: [
      redirect("/port", 302, { port: "8083" }),
      redirect("/port-and-host", 302, { host: "example.org", port: "8083" }),
      redirect("/port-and-status", 301, { port: "8083" }),
      redirect("/port-and-host-and-status", 302, { host: "example.org", port: "8083" }),
    ],
  },
  {
    name: "MeshHTTPRouteSchemeRedirect",
    yaml: route(
      "mesh-redirect-scheme",
      "echo",
      [
        redirectRule("/scheme", `{scheme: "https"}`),
        redirectRule("/scheme-and-host", `{hostname: example.org, scheme: "https"}`),
        redirectRule("/scheme-and-status", `{scheme: "https", statusCode: 301}`),
        redirectRule("/scheme-and-host-and-status", `{scheme: "https", statusCode: 302, hostname: example.org}`),
      ].join(""),
    ),
    routes: ["mesh-redirect-scheme"],
    cases: [
      redirect("/scheme", 302, { scheme: "https" }),
      redirect("/scheme-and-host", 302, { scheme: "https", host: "example.org" }),
      redirect("/scheme-and-status", 301, { scheme: "https" }),
      redirect("/scheme-and-host-and-status", 302, { scheme: "https", host: "example.org" }),
    ],
  },
  {
    name: "MeshHTTPRouteRedirectHostAndStatus (+ 303, 307, 308 variants)",
    yaml: route(
      "mesh-redirect-host-and-status",
      "echo",
      [
        redirectRule("/hostname-redirect", "{hostname: example.org}"),
        redirectRule("/host-and-status", "{statusCode: 301, hostname: example.org}"),
        redirectRule("/host-and-status-see-other", "{statusCode: 303, hostname: example.org}"),
        redirectRule("/host-and-status-temporary", "{statusCode: 307, hostname: example.org}"),
        redirectRule("/host-and-status-permanent", "{statusCode: 308, hostname: example.org}"),
      ].join(""),
    ),
    routes: ["mesh-redirect-host-and-status"],
    cases: [
      redirect("/hostname-redirect", 302, { host: "example.org" }),
      redirect("/host-and-status", 301, { host: "example.org" }),
      redirect("/host-and-status-see-other", 303, { host: "example.org" }),
      redirect("/host-and-status-temporary", 307, { host: "example.org" }),
      redirect("/host-and-status-permanent", 308, { host: "example.org" }),
    ],
  },
  {
    name: "MeshHTTPRoute303Redirect",
    yaml: route("mesh-303-redirect", "echo", redirectRule("/redirect", "{statusCode: 303}")),
    routes: ["mesh-303-redirect"],
    cases: [redirect("/redirect", 303, { path: "/redirect" })],
  },
  {
    name: "MeshHTTPRouteRewritePath",
    yaml: route(
      "mesh-rewrite-path",
      "echo",
      `  - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /full/one}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /full/rewrite-path-and-modify-headers}}]
    filters:
    - {type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /test}}}
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: X-Header-Set, value: set-overwrites-values}]
        add: [{name: X-Header-Add, value: header-val-1}, {name: X-Header-Add-Append, value: header-val-2}]
        remove: [X-Header-Remove]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /prefix/rewrite-path-and-modify-headers}}]
    filters:
    - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /prefix}}}
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: X-Header-Set, value: set-overwrites-values}]
        add: [{name: X-Header-Add, value: header-val-1}, {name: X-Header-Add-Append, value: header-val-2}]
        remove: [X-Header-Remove]
    backendRefs: [{name: echo-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
    backendRefs: [{name: echo-v1, port: 8080}]`,
    ),
    routes: ["mesh-rewrite-path"],
    cases: [
      { name: "prefix replaced", request: { path: "/prefix/one/two" }, backend: "echo-v1", seen: { path: "/one/two" } },
      {
        name: "prefix stripped",
        request: { path: "/strip-prefix/three" },
        backend: "echo-v1",
        seen: { path: "/three" },
      },
      { name: "whole path stripped", request: { path: "/strip-prefix" }, backend: "echo-v1", seen: { path: "/" } },
      { name: "full path replaced", request: { path: "/full/one/two" }, backend: "echo-v1", seen: { path: "/one" } },
      ...["/full/rewrite-path-and-modify-headers/test", "/prefix/rewrite-path-and-modify-headers/one"].map(
        (path, i): Case => ({
          name: `rewrite and modify headers (${i === 0 ? "full" : "prefix"})`,
          request: {
            path,
            headers: {
              "X-Header-Remove": "remove-val",
              "X-Header-Add-Append": "append-val-1",
              "X-Header-Set": "set-val",
            },
          },
          backend: "echo-v1",
          seen: {
            path: i === 0 ? "/test" : "/prefix/one",
            headers: {
              "X-Header-Add": "header-val-1",
              "X-Header-Add-Append": "append-val-1,header-val-2",
              "X-Header-Set": "set-overwrites-values",
            },
            absent: ["X-Header-Remove"],
          },
        }),
      ),
    ],
  },
  {
    name: "HTTPRouteResponseHeaderModifier (core case, attached to a Service)",
    yaml: route(
      "mesh-response-header-modifier",
      "echo",
      [
        modifierRule("/set", "ResponseHeaderModifier", `{set: [{name: X-Header-Set, value: set-overwrites-values}]}`),
        modifierRule("/add", "ResponseHeaderModifier", `{add: [{name: X-Header-Add, value: add-appends-values}]}`),
        modifierRule("/remove", "ResponseHeaderModifier", `{remove: [X-Header-Remove]}`),
      ].join(""),
    ),
    routes: ["mesh-response-header-modifier"],
    cases: [
      {
        name: "set overwrites the backend's header",
        request: { path: "/set?echo-header=X-Header-Set:some-other-value" },
        responseHeaders: { "X-Header-Set": "set-overwrites-values" },
      },
      {
        name: "add appends to the backend's header",
        request: { path: "/add?echo-header=X-Header-Add:some-other-value" },
        responseHeaders: { "X-Header-Add": "some-other-value,add-appends-values" },
      },
      {
        name: "remove drops the backend's header",
        request: { path: "/remove?echo-header=X-Header-Remove:val" },
        absentResponseHeaders: ["X-Header-Remove"],
      },
    ],
  },
];

for (const suite of SUITES) {
  describe(suite.name, () => {
    beforeAll(async () => {
      if (suite.yaml) await applyAndWait(mesh, suite.yaml, host("echo"));
    });
    afterAll(async () => {
      let revision = 0;
      for (const name of suite.routes ?? []) revision = await remove(mesh, "HTTPRoute", NS, name);
      if (revision > 0) await servedEverywhere(mesh, revision, host("echo"));
    });
    it.each(suite.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => check(c));
  });
}

describe("MeshFrontend: rules apply only to their frontend", () => {
  it("echo-v2's route does not touch traffic that reaches echo-v2's endpoint through `echo`", async () => {
    const revision = await applyAndWait(mesh, SUITES.find((s) => s.name === "MeshFrontend")!.yaml!, host("echo"));
    try {
      // `echo` round-robins over v1 and v2: two requests reach both, neither through echo-v2's route.
      const answers = await Promise.all([0, 1, 2, 3].map(() => send(mesh.port, host("echo"), "/")));
      const backends = answers.map((r) => (JSON.parse(r.text) as EchoAnswer).backend);
      expect(backends).toContain("echo-v2");
      for (const r of answers) expect(r.headers["x-header-set"]).toBeUndefined();
      // And straight to the pod (no mesh): nothing either.
      const direct = await send(v2.port, "127.0.0.1", "/");
      expect(direct.headers["x-header-set"]).toBeUndefined();
    } finally {
      await servedEverywhere(mesh, await remove(mesh, "HTTPRoute", NS, "mesh-frontend"), host("echo"));
      expect(revision).toBeGreaterThan(0);
    }
  });
});

describe("MeshHTTPRouteWeight", () => {
  it("1,000 requests split 70/30 within ±5 points, and a weight-0 backend gets nothing", async () => {
    await applyAndWait(
      mesh,
      route(
        "mesh-weight",
        "echo",
        `  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: echo-v1, port: 8080, weight: 70}, {name: echo-v2, port: 8080, weight: 30}]
  - matches: [{path: {type: PathPrefix, value: /zero}}]
    backendRefs: [{name: echo-v1, port: 8080, weight: 0}, {name: echo-v2, port: 8080, weight: 1}]
  - matches: [{path: {type: PathPrefix, value: /all-zero}}]
    backendRefs: [{name: echo-v1, port: 8080, weight: 0}, {name: echo-v2, port: 8080, weight: 0}]`,
      ),
      host("echo"),
    );
    try {
      const counts: Record<string, number> = {};
      // 1,000 draws: ±5 points is 3.4 standard deviations, so chance alone fails this about once in 1,700 runs.
      for (let batch = 0; batch < 100; batch++) {
        const answers = await Promise.all(Array.from({ length: 10 }, () => send(mesh.port, host("echo"), "/")));
        for (const a of answers) {
          const backend = (JSON.parse(a.text) as EchoAnswer).backend;
          counts[backend] = (counts[backend] ?? 0) + 1;
        }
      }
      expect(Object.keys(counts).sort()).toEqual(["echo-v1", "echo-v2"]);
      expect(Math.abs(counts["echo-v1"]! / 1000 - 0.7)).toBeLessThanOrEqual(0.05);
      const zero = await Promise.all(Array.from({ length: 20 }, () => send(mesh.port, host("echo"), "/zero")));
      for (const z of zero) expect((JSON.parse(z.text) as EchoAnswer).backend).toBe("echo-v2");
      // Gateway API: a rule whose backends all weigh 0 answers 500.
      const none = await send(mesh.port, host("echo"), "/all-zero");
      expect(none.status).toBe(500);
    } finally {
      await servedEverywhere(mesh, await remove(mesh, "HTTPRoute", NS, "mesh-weight"), host("echo"));
    }
  });
});
