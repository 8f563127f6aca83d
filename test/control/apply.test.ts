// POST /v1/apply: all-or-nothing multi-document applies, dry runs, unchanged detection, optimistic concurrency.
import { describe, expect, it } from "vitest";
import { applyYaml, call, callJson, currentRevision, routeYaml, serviceYaml, type ErrorBody } from "./api";

interface Stored {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
  };
  spec: { endpoints?: { url?: string }[] };
}

async function getResource(kind: string, name: string, namespace = "default") {
  return callJson<Stored & ErrorBody>(`/v1/resources/${kind}/${namespace}/${name}`);
}

describe("apply", () => {
  it("applies a multi-document YAML body as one new revision", async () => {
    const before = await currentRevision();
    const yaml = [serviceYaml("mdoc-a"), serviceYaml("mdoc-b"), routeYaml("mdoc-route", "mdoc-a", "mdoc-b")].join(
      "---\n",
    );
    const { status, body } = await applyYaml(yaml);
    expect(status).toBe(200);
    expect(body.revision).toBe(before + 1);
    expect(body.results).toEqual([
      {
        apiVersion: "flaremesh.dev/v1alpha1",
        kind: "Service",
        namespace: "default",
        name: "mdoc-a",
        action: "created",
      },
      {
        apiVersion: "flaremesh.dev/v1alpha1",
        kind: "Service",
        namespace: "default",
        name: "mdoc-b",
        action: "created",
      },
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        namespace: "default",
        name: "mdoc-route",
        action: "created",
      },
    ]);
    const stored = await getResource("Service", "mdoc-a");
    expect(stored.status).toBe(200);
    expect(stored.body.kind).toBe("Service");
    expect(stored.body.metadata.resourceVersion).toBe(String(before + 1));
    expect(new Date(stored.body.metadata.creationTimestamp).toISOString()).toBe(stored.body.metadata.creationTimestamp);
  });

  it("rejects the whole apply when one document is invalid, naming the document and field", async () => {
    const before = await currentRevision();
    const bad = `apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata:
  name: atomic-bad
spec:
  endpoints:
    - url: http://127.0.0.1:9001
      weight: -3
`;
    const { status, body } = await applyYaml([serviceYaml("atomic-good"), bad].join("---\n"));
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_resource");
    expect(body.error.details.length).toBeGreaterThan(0);
    const detail = body.error.details[0]!;
    expect(detail.document).toMatch(/atomic-bad|#1/);
    expect(detail.path).toBe("spec.endpoints[0].weight");
    expect(await currentRevision()).toBe(before);
    expect((await getResource("Service", "atomic-good")).status).toBe(404);
  });

  it("rejects an apply that would leave a dangling reference, changing nothing", async () => {
    const before = await currentRevision();
    const { status, body } = await applyYaml(
      [serviceYaml("dangle-a"), routeYaml("dangle-route", "dangle-a", "nowhere")].join("---\n"),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_resource");
    expect(body.error.details.some((d) => /dangle-route/.test(d.document ?? ""))).toBe(true);
    expect(await currentRevision()).toBe(before);
    expect((await getResource("Service", "dangle-a")).status).toBe(404);
  });

  it("refuses an HTTPRoute and a VirtualService claiming one Service with 400 conflict", async () => {
    await applyYaml(serviceYaml("claimed"));
    const before = await currentRevision();
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: claimed-vs
spec:
  hosts: [claimed]
  http:
    - route:
        - destination:
            host: claimed
`;
    const { status, body } = await applyYaml([routeYaml("claimed-route", "claimed", "claimed"), vs].join("---\n"));
    expect(status).toBe(400);
    expect(body.error.code).toBe("conflict");
    expect(await currentRevision()).toBe(before);
  });

  it("refuses a request naming one resource twice", async () => {
    const before = await currentRevision();
    const { status, body } = await applyYaml(
      [serviceYaml("twice"), serviceYaml("twice", "http://127.0.0.1:9002")].join("---\n"),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_resource");
    expect(await currentRevision()).toBe(before);
  });

  it("accepts a JSON array and a single JSON document", async () => {
    const doc = (name: string) => ({
      apiVersion: "flaremesh.dev/v1alpha1",
      kind: "Service",
      metadata: { name },
      spec: { endpoints: [{ url: "http://127.0.0.1:9001" }] },
    });
    const array = await callJson<{ results: { action: string }[] }>("/v1/apply", {
      body: JSON.stringify([doc("json-a"), doc("json-b")]),
      contentType: "application/json",
    });
    expect(array.status).toBe(200);
    expect(array.body.results.map((r) => r.action)).toEqual(["created", "created"]);
    const single = await callJson<{ results: { action: string }[] }>("/v1/apply", {
      body: JSON.stringify(doc("json-c")),
      contentType: "application/json; charset=utf-8",
    });
    expect(single.status).toBe(200);
    expect(single.body.results).toHaveLength(1);
  });
});

describe("dry run", () => {
  it("validates and reports without changing anything", async () => {
    const before = await currentRevision();
    const { status, body } = await applyYaml(serviceYaml("dry-only"), "?dryRun=true");
    expect(status).toBe(200);
    expect(body.dryRun).toBe(true);
    expect(body.revision).toBe(before + 1);
    expect(body.results[0]?.action).toBe("created");
    expect(await currentRevision()).toBe(before);
    expect((await getResource("Service", "dry-only")).status).toBe(404);
  });

  it("reports validation errors like a real apply", async () => {
    const { status, body } = await applyYaml(routeYaml("dry-route", "nothing-here", "nothing-here"), "?dryRun=true");
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_resource");
  });

  it("reports the current revision when nothing would change", async () => {
    await applyYaml(serviceYaml("dry-same"));
    const before = await currentRevision();
    const { body } = await applyYaml(serviceYaml("dry-same"), "?dryRun=true");
    expect(body.revision).toBe(before);
    expect(body.results[0]?.action).toBe("unchanged");
  });
});

describe("changes and no-changes", () => {
  it("answers unchanged and creates no revision when nothing changed, whatever the key order", async () => {
    await applyYaml(serviceYaml("same"));
    const before = await currentRevision();
    const reordered = `kind: Service
spec:
  endpoints:
    - url: http://127.0.0.1:9001
metadata:
  namespace: default
  name: same
apiVersion: flaremesh.dev/v1alpha1
`;
    const { status, body } = await applyYaml(reordered);
    expect(status).toBe(200);
    expect(body.revision).toBe(before);
    expect(body.results[0]?.action).toBe("unchanged");
    expect(await currentRevision()).toBe(before);
  });

  it("configures a changed resource: new resourceVersion, same creationTimestamp", async () => {
    await applyYaml(serviceYaml("changing"));
    const first = (await getResource("Service", "changing")).body;
    const { body } = await applyYaml(serviceYaml("changing", "http://127.0.0.1:9555"));
    expect(body.results[0]?.action).toBe("configured");
    const second = (await getResource("Service", "changing")).body;
    expect(second.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
    expect(second.metadata.resourceVersion).toBe(String(body.revision));
    expect(second.metadata.creationTimestamp).toBe(first.metadata.creationTimestamp);
    expect(second.spec.endpoints?.[0]?.url).toBe("http://127.0.0.1:9555");
  });

  it("keeps the resourceVersion of resources an apply leaves unchanged", async () => {
    await applyYaml(serviceYaml("steady"));
    const before = (await getResource("Service", "steady")).body.metadata.resourceVersion;
    await applyYaml([serviceYaml("steady"), serviceYaml("steady-neighbour")].join("---\n"));
    expect((await getResource("Service", "steady")).body.metadata.resourceVersion).toBe(before);
  });
});

describe("optimistic concurrency", () => {
  const withVersion = (version: string, url: string) =>
    serviceYaml("versioned", url).replace(
      "  namespace: default\n",
      `  namespace: default\n  resourceVersion: "${version}"\n`,
    );

  it("refuses a stale resourceVersion with 409 and changes nothing", async () => {
    await applyYaml(serviceYaml("versioned"));
    const stored = (await getResource("Service", "versioned")).body;
    await applyYaml(serviceYaml("versioned", "http://127.0.0.1:9100"));
    const before = await currentRevision();
    const { status, body } = await applyYaml(withVersion(stored.metadata.resourceVersion, "http://127.0.0.1:9200"));
    expect(status).toBe(409);
    expect(body.error.code).toBe("conflict");
    expect(body.error.details[0]?.path).toBe("metadata.resourceVersion");
    expect(await currentRevision()).toBe(before);
    expect((await getResource("Service", "versioned")).body.spec.endpoints?.[0]?.url).toBe("http://127.0.0.1:9100");
  });

  it("accepts the current resourceVersion", async () => {
    const stored = (await getResource("Service", "versioned")).body;
    const { status, body } = await applyYaml(withVersion(stored.metadata.resourceVersion, "http://127.0.0.1:9300"));
    expect(status).toBe(200);
    expect(body.results[0]?.action).toBe("configured");
  });

  it("refuses a resourceVersion for a resource that does not exist", async () => {
    const { status } = await applyYaml(
      serviceYaml("never-was").replace("  namespace: default\n", '  namespace: default\n  resourceVersion: "3"\n'),
    );
    expect(status).toBe(409);
  });

  it("accepts a resource read back with GET and re-applied as JSON", async () => {
    const stored = await call("/v1/resources/Service/default/versioned");
    const { status, body } = await callJson<{ results: { action: string }[] }>("/v1/apply", {
      body: await stored.text(),
      contentType: "application/json",
    });
    expect(status).toBe(200);
    expect(body.results[0]?.action).toBe("unchanged");
  });
});
