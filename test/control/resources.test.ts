// Reading back and deleting resources: case-insensitive kinds, 404s, and deletes refused while referenced.
import { describe, expect, it } from "vitest";
import { applyYaml, callJson, currentRevision, routeYaml, serviceYaml, type ErrorBody } from "./api";

interface Listing {
  revision: number;
  items: { kind: string; metadata: { name: string; namespace: string } }[];
}

describe("reading resources", () => {
  it("lists everything, one kind in any case, and one resource", async () => {
    await applyYaml(
      [
        serviceYaml("read-a"),
        serviceYaml("read-b", "http://127.0.0.1:9001", "other"),
        routeYaml("read-route", "read-a", "read-a"),
      ].join("---\n"),
    );
    const all = await callJson<Listing>("/v1/resources");
    expect(all.status).toBe(200);
    expect(all.body.revision).toBe(await currentRevision());
    const names = all.body.items.map((r) => `${r.kind}/${r.metadata.namespace}/${r.metadata.name}`);
    expect(names).toEqual(
      expect.arrayContaining(["Service/default/read-a", "Service/other/read-b", "HTTPRoute/default/read-route"]),
    );

    for (const kind of ["httproute", "HTTPRoute", "HTTPROUTE"]) {
      const routes = await callJson<Listing>(`/v1/resources/${kind}`);
      expect(routes.status).toBe(200);
      expect(routes.body.items.every((r) => r.kind === "HTTPRoute")).toBe(true);
      expect(routes.body.items.map((r) => r.metadata.name)).toContain("read-route");
    }

    const one = await callJson<{ kind: string; metadata: { name: string; namespace: string } }>(
      "/v1/resources/service/other/read-b",
    );
    expect(one.status).toBe(200);
    expect(one.body.kind).toBe("Service");
    expect(one.body.metadata).toMatchObject({ name: "read-b", namespace: "other" });
  });

  it.each([["/v1/resources/Pod"], ["/v1/resources/Pod/default/x"], ["/v1/resources/Service/default/does-not-exist"]])(
    "GET %s is 404 not_found",
    async (path) => {
      const { status, body } = await callJson<ErrorBody>(path);
      expect(status).toBe(404);
      expect(body.error.code).toBe("not_found");
    },
  );
});

describe("deleting resources", () => {
  it("deletes a resource as a new revision", async () => {
    await applyYaml(serviceYaml("doomed"));
    const before = await currentRevision();
    const { status, body } = await callJson<{ revision: number; deleted: Record<string, string> }>(
      "/v1/resources/service/default/doomed",
      { method: "DELETE" },
    );
    expect(status).toBe(200);
    expect(body.revision).toBe(before + 1);
    expect(body.deleted).toEqual({
      apiVersion: "flaremesh.dev/v1alpha1",
      kind: "Service",
      namespace: "default",
      name: "doomed",
    });
    expect((await callJson("/v1/resources/Service/default/doomed")).status).toBe(404);
  });

  it("refuses to delete a Service a route still refers to, naming the route", async () => {
    await applyYaml(
      [serviceYaml("needed"), serviceYaml("needer"), routeYaml("needer-route", "needer", "needed")].join("---\n"),
    );
    const before = await currentRevision();
    const { status, body } = await callJson<ErrorBody>("/v1/resources/Service/default/needed", { method: "DELETE" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_resource");
    expect(body.error.details.some((d) => /needer-route/.test(`${d.document} ${d.message}`))).toBe(true);
    expect(await currentRevision()).toBe(before);
    expect((await callJson("/v1/resources/Service/default/needed")).status).toBe(200);
  });

  it("deletes the route first, then the Service", async () => {
    expect((await callJson("/v1/resources/HTTPRoute/default/needer-route", { method: "DELETE" })).status).toBe(200);
    expect((await callJson("/v1/resources/Service/default/needed", { method: "DELETE" })).status).toBe(200);
  });

  it.each([["/v1/resources/Service/default/ghost"], ["/v1/resources/Pod/default/ghost"]])(
    "DELETE %s is 404",
    async (path) => {
      const before = await currentRevision();
      const { status, body } = await callJson<ErrorBody>(path, { method: "DELETE" });
      expect(status).toBe(404);
      expect(body.error.code).toBe("not_found");
      expect(await currentRevision()).toBe(before);
    },
  );
});
