// The configurations the benchmark applies through the control API: the "realistic" proxy setup, and the large
// meshes for propagation and control-plane scaling. Plain YAML, exactly what a user would apply.

/** The request every load run sends to the flaremesh proxy (it matches route 151 of 200, after header and regex checks). */
export const BENCH_PATH = "/api/v1/items/42";
export const BENCH_TENANT = "t151-blue";
export const CLIENT_SERVICE = "bench-client";
export const ROUTES = 200;

/** The mesh's MeshConfig (the singleton `default`) with `spec`. */
export function meshConfig(spec) {
  return { apiVersion: "flaremesh.dev/v1alpha1", kind: "MeshConfig", metadata: { name: "default" }, spec };
}

/**
 * 200 VirtualService routes for Service `bench`: a mix of exact paths, prefixes with header matches, path regexes
 * and prefixes with header regexes, most of which the benchmark request does not match; then a catch-all.
 */
export function realisticConfig({ upstreamUrl, receiverUrl, strict = true, routes = ROUTES }) {
  const http = [];
  for (let i = 0; i < routes - 1; i++) {
    const kind = i % 4;
    const match =
      kind === 0
        ? { uri: { exact: `/svc${i}/items` } }
        : kind === 1
          ? { uri: { prefix: `/svc${i}/` }, headers: { "x-tenant": { exact: `t${i}` } } }
          : kind === 2
            ? { uri: { regex: `/svc${i}/items/[0-9]+` } }
            : { uri: { prefix: "/api/" }, headers: { "x-tenant": { regex: `t${i}-[a-z]+` } } };
    http.push({
      name: `r${i}`,
      match: [match],
      route: [{ destination: { host: "bench", subset: "v1" } }],
      headers: { response: { set: { "x-bench-route": `r${i}` } } },
    });
  }
  http.push({ name: "default", route: [{ destination: { host: "bench", subset: "v1" } }] });
  const docs = [
    service("bench", upstreamUrl, { version: "v1" }),
    service(CLIENT_SERVICE, upstreamUrl, { version: "v1" }),
    {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "bench" },
      spec: { hosts: ["bench"], http },
    },
    {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "bench" },
      spec: {
        host: "bench",
        trafficPolicy: {
          loadBalancer: { simple: "ROUND_ROBIN" },
          outlierDetection: {
            consecutive5xxErrors: 5,
            interval: "10s",
            baseEjectionTime: "30s",
            maxEjectionPercent: 50,
          },
        },
        subsets: [{ name: "v1", labels: { version: "v1" } }],
      },
    },
    {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "bench" },
      spec: { selector: { matchLabels: { app: "bench" } }, mtls: { mode: strict ? "STRICT" : "PERMISSIVE" } },
    },
    {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: { name: "bench" },
      spec: {
        selector: { matchLabels: { app: "bench" } },
        action: "ALLOW",
        rules: [
          strict
            ? {
                from: [{ source: { principals: [`cluster.local/ns/default/sa/${CLIENT_SERVICE}`] } }],
                to: [{ operation: { methods: ["GET"], paths: ["/api/*", "/svc*"] } }],
              }
            : { to: [{ operation: { methods: ["GET"], paths: ["/api/*", "/svc*"] } }] },
        ],
      },
    },
    {
      apiVersion: "flaremesh.dev/v1alpha1",
      kind: "TelemetrySink",
      metadata: { name: "bench" },
      spec: { type: "http-json", endpoint: receiverUrl, signals: ["logs", "traces"], samplingPercent: 100 },
    },
  ];
  return docs;
}

function service(name, url, labels) {
  return {
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "Service",
    metadata: { name },
    spec: { endpoints: [{ url, labels }] },
  };
}

/**
 * `count` Services, each with an HTTPRoute of `routesPerService` rules (exact, prefix + header, regex), for the
 * control-plane scaling and propagation-at-size runs. Returned in batches that stay under the 1 MiB body limit.
 */
export function largeMesh({ upstreamUrl, count, routesPerService, batch = 100, prefix = "m" }) {
  const batches = [];
  for (let start = 0; start < count; start += batch) {
    const docs = [];
    for (let s = start; s < Math.min(count, start + batch); s++) {
      const name = `${prefix}${s}`;
      docs.push(service(name, upstreamUrl, { version: "v1" }));
      const rules = [];
      for (let r = 0; r < routesPerService; r++) {
        const kind = r % 3;
        const path =
          kind === 0
            ? { type: "Exact", value: `/r${r}/status` }
            : kind === 1
              ? { type: "PathPrefix", value: `/r${r}/api` }
              : { type: "RegularExpression", value: `/r${r}/items/[0-9]+` };
        const match = { path };
        if (kind === 1) match.headers = [{ name: "x-tenant", value: `t${r}` }];
        rules.push({ matches: [match], backendRefs: [{ name, port: 80 }] });
      }
      docs.push({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name },
        spec: { parentRefs: [{ kind: "Service", name }], rules },
      });
    }
    batches.push(docs);
  }
  return batches;
}

/**
 * A Service `name` with `routes` HTTPRoute rules with distinct first segments (exact, prefix + header, path regex),
 * for end-to-end rps at 10 vs 10,000 routes. An HTTPRoute holds at most 64 rules and a VirtualService 256 routes,
 * so the rules are spread over HTTPRoutes attached to the same Service, returned in apply batches under 1 MiB.
 * `scalePath(routes)` is a request that matches its last regex rule.
 */
export function scaleService({ name, routes, upstreamUrl }) {
  const rules = [];
  for (let i = 0; i < routes - 1; i++) {
    const kind = i % 3;
    const match =
      kind === 0
        ? { path: { type: "Exact", value: `/s${i}/items` } }
        : kind === 1
          ? { path: { type: "PathPrefix", value: `/s${i}` }, headers: [{ name: "x-tenant", value: `t${i}` }] }
          : { path: { type: "RegularExpression", value: `/s${i}/items/[0-9]+` } };
    rules.push({ matches: [match], backendRefs: [{ name, port: 80 }] });
  }
  rules.push({ backendRefs: [{ name, port: 80 }] });
  const docs = [service(name, upstreamUrl, { version: "v1" })];
  for (let start = 0, part = 0; start < rules.length; start += 64, part++) {
    docs.push({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: `${name}-${part}` },
      spec: { parentRefs: [{ kind: "Service", name }], rules: rules.slice(start, start + 64) },
    });
  }
  const batches = [];
  for (let i = 0; i < docs.length; i += 40) batches.push(docs.slice(i, i + 40));
  return batches;
}

export function scalePath(routes) {
  let last = routes - 2;
  while (last % 3 !== 2) last--;
  return `/s${last}/items/7`;
}

/** The propagation probe: Service `probe` whose route stamps `x-bench-rev: <value>` on every response. */
export function probeConfig({ upstreamUrl, value }) {
  return [
    service("probe", upstreamUrl, { version: "v1" }),
    {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "probe" },
      spec: {
        hosts: ["probe"],
        http: [
          {
            route: [{ destination: { host: "probe" } }],
            headers: { response: { set: { "x-bench-rev": String(value) } } },
          },
        ],
      },
    },
  ];
}
