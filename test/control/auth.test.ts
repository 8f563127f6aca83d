// Who may call what: bearer tokens for the admin and viewer roles, public endpoints, 404/405 for the rest.
import { describe, expect, it } from "vitest";
import { ADMIN, VIEWER, call, callJson, serviceYaml, type ErrorBody } from "./api";

const reads = ["/v1/resources", "/v1/resources/service", "/v1/revisions", "/v1/status", "/metrics"];

const writes: [string, string, string | undefined, string | undefined][] = [
  ["POST", "/v1/apply", serviceYaml("auth-write"), "application/yaml"],
  ["POST", "/v1/apply?dryRun=true", serviceYaml("auth-write"), "application/yaml"],
  ["DELETE", "/v1/resources/Service/default/auth-write", undefined, undefined],
  ["POST", "/v1/rollback", '{"revision": 0}', "application/json"],
];

describe("authentication", () => {
  it.each([...reads.map((p) => ["GET", p, undefined, undefined] as const), ...writes])(
    "%s %s without a token is 401 with a Bearer challenge",
    async (method, path, body, contentType) => {
      const response = await callJson<ErrorBody>(path, { method, body, contentType, token: null });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("unauthorized");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    },
  );

  it.each([["wrong-token"], [ADMIN + "x"], [ADMIN.slice(0, -1)], [""]])("a wrong token (%j) is 401", async (token) => {
    const response = await callJson<ErrorBody>("/v1/resources", {
      headers: { authorization: `Bearer ${token}` },
      token: null,
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });

  it("refuses other schemes", async () => {
    const basic = btoa(`admin:${ADMIN}`);
    const response = await call("/v1/resources", { headers: { authorization: `Basic ${basic}` }, token: null });
    expect(response.status).toBe(401);
    const raw = await call("/v1/resources", { headers: { authorization: ADMIN }, token: null });
    expect(raw.status).toBe(401);
  });

  it("accepts the scheme in any case", async () => {
    const response = await call("/v1/resources", { headers: { authorization: `bearer ${VIEWER}` }, token: null });
    expect(response.status).toBe(200);
  });
});

describe("roles", () => {
  it.each(reads)("the viewer may GET %s", async (path) => {
    expect((await call(path, { token: VIEWER })).status).toBe(200);
  });

  it.each(reads)("the admin may GET %s", async (path) => {
    expect((await call(path, { token: ADMIN })).status).toBe(200);
  });

  it.each(writes)("the viewer may not %s %s (403)", async (method, path, body, contentType) => {
    const response = await callJson<ErrorBody>(path, { method, body, contentType, token: VIEWER });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("forbidden");
  });

  it("records the role, never the token, as the actor", async () => {
    const applied = await call("/v1/apply", { body: serviceYaml("auth-actor"), contentType: "application/yaml" });
    expect(applied.status).toBe(200);
    const history = await call("/v1/revisions", { token: VIEWER });
    const text = await history.text();
    expect(text).not.toContain(ADMIN);
    const items = (JSON.parse(text) as { items: { actor: string }[] }).items;
    expect(items.at(-1)?.actor).toBe("admin");
  });
});

describe("public endpoints", () => {
  it("GET /healthz needs no token", async () => {
    const response = await call("/healthz", { token: null });
    expect(response.status).toBe(200);
  });

  it("GET /.well-known/jwks.json needs no token and lists keys", async () => {
    const response = await callJson<{ keys: unknown[] }>("/.well-known/jwks.json", { token: null });
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body.keys)).toBe(true);
  });

  it("GET /dashboard is an HTML page that asks for a token", async () => {
    const response = await call("/dashboard", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("flaremesh dashboard");
    expect(html.toLowerCase()).toContain("token");
  });

  it("GET /metrics is Prometheus text with the config revision", async () => {
    const response = await call("/metrics", { token: VIEWER });
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/^mesh_config_revision \d+$/m);
  });
});

describe("unknown paths and methods", () => {
  it.each([["/nope"], ["/v1"], ["/v2/apply"]])("%s is a 404 JSON error", async (path) => {
    const response = await callJson<ErrorBody>(path);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  it.each([
    ["GET", "/v1/apply"],
    ["PUT", "/v1/apply"],
    ["POST", "/v1/resources"],
    ["PATCH", "/v1/resources/Service/default/x"],
    ["DELETE", "/healthz"],
  ])("%s %s is a 405 JSON error naming the allowed methods", async (method, path) => {
    const response = await callJson<ErrorBody>(path, {
      method,
      body: method === "GET" ? undefined : "{}",
      contentType: "application/json",
    });
    expect(response.status).toBe(405);
    expect(response.body.error.code).toBe("method_not_allowed");
    expect(response.headers.get("allow")).toBeTruthy();
  });
});
