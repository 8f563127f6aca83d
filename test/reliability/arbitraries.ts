// fast-check generators for bad input: mutated resources, broken YAML, hostile headers, paths and tokens.
import fc from "fast-check";
import { stringify } from "yaml";

/** Valid documents of several kinds, the seeds that mutations start from. */
export const SEEDS: Record<string, unknown>[] = [
  {
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "Service",
    metadata: { name: "fz-svc" },
    spec: {
      endpoints: [{ worker: "httpbin-v1", weight: 80, labels: { version: "v1" } }, { url: "http://127.0.0.1:9" }],
    },
  },
  {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "fz-route" },
    spec: {
      parentRefs: [{ kind: "Service", name: "fz-svc" }],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/a" }, headers: [{ name: "x-user", value: "jason" }] }],
          backendRefs: [{ name: "fz-svc", weight: 1 }],
          timeouts: { request: "2s" },
        },
      ],
    },
  },
  {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: "fz-dr" },
    spec: {
      host: "fz-svc",
      subsets: [{ name: "v1", labels: { version: "v1" } }],
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3, interval: "1s", baseEjectionTime: "5s" } },
    },
  },
  {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: { name: "fz-authz" },
    spec: {
      selector: { matchLabels: { app: "fz-svc" } },
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: ["cluster.local/ns/default/sa/x"] } }],
          to: [{ operation: { methods: ["GET"] } }],
        },
      ],
    },
  },
  {
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "TrafficPolicy",
    metadata: { name: "fz-tp" },
    spec: {
      targetRef: { kind: "Service", name: "fz-svc" },
      retry: { attempts: 2, retryOn: "5xx" },
      rateLimit: { local: { requestsPerUnit: 100, unit: "second" } },
    },
  },
];

type Json = unknown;

/** Replaces, deletes or adds a value at a random place in a document. */
function mutateAt(doc: Json, path: number[], replacement: Json, mode: number): Json {
  if (doc === null || typeof doc !== "object") return replacement;
  const copy: Record<string, Json> | Json[] = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, Json>) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || path.length === 0) return mode === 0 ? replacement : copy;
  const key = keys[path[0]! % keys.length]!;
  const target = copy as Record<string, Json>;
  if (path.length === 1) {
    if (mode === 1) delete target[key];
    else if (mode === 2) target[`${key}x`] = replacement;
    else target[key] = replacement;
    return copy;
  }
  target[key] = mutateAt(target[key], path.slice(1), replacement, mode);
  return copy;
}

const weird = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
  fc.constantFrom("", "0", "-1", "1e309", "NaN", "../../etc", "a".repeat(300), "\u0000", "🙂", "*", "/(", "(a+)+$"),
  fc.integer(),
  fc.double(),
);

/** A seed with 1–3 random mutations. */
export const mutatedResource: fc.Arbitrary<Json> = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), weird, fc.nat(3)), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([seed, mutations]) =>
    mutations.reduce<Json>((doc, [path, value, mode]) => mutateAt(doc, path, value, mode), seed),
  );

/** YAML cut, spliced and sprinkled with the constructs that break parsers (aliases, tags, tabs, anchors). */
export const brokenYaml: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...SEEDS).map((s) => stringify(s)),
    fc.nat(),
    fc.constantFrom(
      "\t",
      ": :",
      "&a [*a]",
      "!!binary ZZZ",
      "!!js/function 'x'",
      "<<: *undefined",
      "---\n...\n---",
      "? [a]\n: b",
      "%YAML 9.9\n",
      "{",
      "'",
      "- - - -",
      "\u0000",
      "key: &x [*x, *x]",
    ),
  )
  .map(([yaml, at, junk]) => {
    const i = at % (yaml.length + 1);
    return yaml.slice(0, i) + junk + yaml.slice(i);
  });

/** What an apply body can be: one document, a JSON array mixing valid and mutated ones, or YAML of them. */
export const applyBody: fc.Arbitrary<{ body: string; contentType: string }> = fc.oneof(
  mutatedResource.map((d) => ({ body: JSON.stringify(d) ?? "null", contentType: "application/json" })),
  fc
    .array(fc.oneof(mutatedResource, fc.constantFrom(...SEEDS)), { minLength: 1, maxLength: 4 })
    .map((docs) => ({ body: JSON.stringify(docs), contentType: "application/json" })),
  fc
    .array(mutatedResource, { minLength: 1, maxLength: 3 })
    .map((docs) => ({ body: docs.map((d) => safeYaml(d)).join("---\n"), contentType: "application/yaml" })),
  brokenYaml.map((body) => ({ body, contentType: "application/yaml" })),
  fc.string({ maxLength: 200 }).map((body) => ({ body, contentType: "application/json" })),
);

function safeYaml(doc: Json): string {
  try {
    return stringify(doc);
  } catch {
    return "{}\n";
  }
}

/** An exponential alias bomb within the size limit (each level refers to the previous one nine times). */
export function aliasBomb(levels = 12): string {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < levels; i++) {
    const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ");
    lines.push(`a${i}: &a${i} [${refs}]`);
  }
  return `apiVersion: flaremesh.dev/v1alpha1\nkind: Service\nmetadata: {name: bomb}\nspec:\n  ${lines.join("\n  ")}\n`;
}

const tchar = fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
/** A legal HTTP header name (node:http refuses to send illegal ones, and so would any client). */
export const headerName = fc.string({ unit: tchar, minLength: 1, maxLength: 40 });
/** A legal header value: visible ASCII, spaces and tabs, no CR/LF. */
export const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

function base64url(s: string): string {
  return Buffer.from(s).toString("base64url");
}

/** Bearer tokens and JWT-shaped garbage. */
export function tokenArb(): fc.Arbitrary<string> {
  return fc.oneof(
    headerValue.map((v) => `Bearer ${v}`),
    fc
      .tuple(fc.json(), fc.json(), headerValue)
      .map(([h, p, sig]) => `Bearer ${base64url(h)}.${base64url(p)}.${base64url(sig)}`),
    fc.constantFrom(
      "Bearer",
      "Bearer ",
      "Basic Zm9vOmJhcg==",
      "bearer fmw_",
      "Bearer fmw_" + "A".repeat(64),
      "Bearer eyJ.eyJ.",
    ),
  );
}
const token = tokenArb();

/** Headers the mesh reads, with hostile values, plus random ones. */
export const headers: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom(
        "authorization",
        "x-mesh-identity",
        "x-mesh-principal",
        "traceparent",
        "tracestate",
        "x-b3-traceid",
        "b3",
        "x-request-id",
        "x-forwarded-for",
        "cookie",
        "end-user",
        "content-type",
        "accept",
        "range",
      ),
      fc.oneof(headerValue, token),
      { maxKeys: 5 },
    ),
    fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
  )
  .map(([known, random]) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...random, ...known })) {
      // Framing headers would make the request itself malformed; those are not what this fuzzes.
      if (!/^(host|content-length|transfer-encoding|connection|upgrade|expect|te|trailer|keep-alive)$/i.test(k))
        out[k] = v;
    }
    return out;
  });

/** Request paths: encodings, dot segments, doubled slashes, very long segments, query strings. */
export const path: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "v1",
        "resources",
        "apply",
        "revisions",
        "Service",
        "default",
        "..",
        ".",
        "",
        "%2e%2e",
        "%00",
        "%ff",
        "%",
        "~",
      ),
      fc.string({ unit: fc.constantFrom(..."abcXYZ019-_.~%!$&'()*+,;=:@"), maxLength: 20 }),
      fc.constant("x".repeat(2000)),
    ),
    { maxLength: 6 },
  )
  .chain((segments) =>
    fc
      .option(fc.string({ unit: fc.constantFrom(..."a=&%?+#[]"), maxLength: 30 }))
      .map((query) => `/${segments.join("/")}${query === null ? "" : `?${query}`}`),
  );

export const method = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO");
