// Request limits and malformed input: 413 above 1 MiB (whatever Content-Length says), 415, 400 — never a 500.
import { describe, expect, it } from "vitest";
import { call, callJson, currentRevision, serviceYaml, type ErrorBody } from "./api";

const MiB = 1024 * 1024;

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024));
      controller.close();
    },
  });
}

/** A YAML body of exactly `size` bytes: one Service padded with a comment. */
function paddedYaml(name: string, size: number): string {
  const doc = serviceYaml(name);
  return doc + "#" + "x".repeat(size - doc.length - 2) + "\n";
}

describe("body size limit", () => {
  it("refuses a 5 MB body that declares its Content-Length with 413, changing nothing", async () => {
    const before = await currentRevision();
    const body = paddedYaml("big-declared", 5 * MiB);
    const { status, body: error } = await callJson<ErrorBody>("/v1/apply", { body, contentType: "application/yaml" });
    expect(status).toBe(413);
    expect(error.error.code).toBe("payload_too_large");
    expect(await currentRevision()).toBe(before);
  });

  it("refuses a 5 MB streamed body without Content-Length with 413", async () => {
    const before = await currentRevision();
    const body = streamOf(paddedYaml("big-streamed", 5 * MiB));
    const { status, body: error } = await callJson<ErrorBody>("/v1/apply", { body, contentType: "application/yaml" });
    expect(status).toBe(413);
    expect(error.error.code).toBe("payload_too_large");
    expect(await currentRevision()).toBe(before);
  });

  it("refuses a 5 MB streamed body whose Content-Length claims it is small", async () => {
    const body = streamOf(paddedYaml("big-lying", 5 * MiB));
    const { status } = await callJson<ErrorBody>("/v1/apply", {
      body,
      contentType: "application/yaml",
      headers: { "content-length": "100" },
    });
    expect(status).toBe(413);
  });

  it("accepts exactly 1 MiB and refuses one byte more", async () => {
    const exact = await call("/v1/apply", {
      body: paddedYaml("exactly-one-mib", MiB),
      contentType: "application/yaml",
    });
    expect(exact.status).toBe(200);
    const over = await call("/v1/apply", {
      body: streamOf(paddedYaml("one-byte-over", MiB + 1)),
      contentType: "application/yaml",
    });
    expect(over.status).toBe(413);
  });

  it("limits the rollback body too", async () => {
    const { status } = await callJson<ErrorBody>("/v1/rollback", {
      body: streamOf(" ".repeat(2 * MiB)),
      contentType: "application/json",
    });
    expect(status).toBe(413);
  });
});

describe("media types", () => {
  it.each([["text/plain"], ["application/x-www-form-urlencoded"], ["multipart/form-data; boundary=x"]])(
    "refuses Content-Type %s with 415",
    async (contentType) => {
      const { status, body } = await callJson<ErrorBody>("/v1/apply", { body: serviceYaml("media"), contentType });
      expect(status).toBe(415);
      expect(body.error.code).toBe("unsupported_media_type");
    },
  );

  it("refuses a body without Content-Type with 415", async () => {
    const { status, body } = await callJson<ErrorBody>("/v1/apply", {
      body: new TextEncoder().encode(serviceYaml("x")),
    });
    expect(status).toBe(415);
    expect(body.error.code).toBe("unsupported_media_type");
  });

  it.each([
    ["application/yaml"],
    ["application/x-yaml"],
    ["text/yaml"],
    ["application/yaml; charset=utf-8"],
    ["Application/YAML"],
  ])("accepts YAML as %s", async (contentType) => {
    const response = await call("/v1/apply", { body: serviceYaml("yaml-media"), contentType });
    expect(response.status).toBe(200);
  });
});

describe("malformed bodies", () => {
  const cases: [string, string, BodyInit][] = [
    ["broken YAML", "application/yaml", "kind: Service\nmetadata: {name: [unclosed\n"],
    ["broken JSON", "application/json", '{"kind": "Service",'],
    ["invalid UTF-8", "application/yaml", new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a])],
    ["an empty body", "application/yaml", ""],
    ["a YAML scalar", "application/yaml", "42\n"],
    ["JSON null", "application/json", "null"],
    ["an empty JSON array", "application/json", "[]"],
    ["an array of numbers", "application/json", "[1, 2, 3]"],
    ["a document without kind", "application/json", '{"apiVersion": "v1", "metadata": {"name": "x"}}'],
    ["an unknown kind", "application/yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {}\n"],
    [
      "an alias bomb",
      "application/yaml",
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
    ],
    ["binary noise", "application/yaml", new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ["deeply nested JSON", "application/json", "[".repeat(5000) + "]".repeat(5000)],
  ];

  it.each(cases)("answers 400 for %s and changes nothing", async (_name, contentType, body) => {
    const before = await currentRevision();
    const response = await callJson<ErrorBody>("/v1/apply", { body, contentType });
    expect(response.status).toBe(400);
    expect(["bad_request", "invalid_resource"]).toContain(response.body.error.code);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await currentRevision()).toBe(before);
  });

  it("answers 400 bad_request for broken YAML", async () => {
    const { status, body } = await callJson<ErrorBody>("/v1/apply", {
      body: "kind: Service\n  bad indent: [\n",
      contentType: "application/yaml",
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
  });

  it("answers 400 for a dryRun value that is not a boolean", async () => {
    const { status, body } = await callJson<ErrorBody>("/v1/apply?dryRun=maybe", {
      body: serviceYaml("dry-maybe"),
      contentType: "application/yaml",
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
  });

  it.each([
    ["/v1/resources/%E0%A4%A", "GET"],
    ["/v1/resources/Service/%ZZ/name", "GET"],
    ["/v1/resources/Service/default/%00", "DELETE"],
    ["/v1/resources/" + "a".repeat(5000), "GET"],
    ["/v1/rollback", "POST"],
  ])("never answers 500 for a malformed path or body (%#)", async (path, method) => {
    const response = await call(path, { method, body: method === "POST" ? "\u0000garbage" : undefined });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toMatch(/^[a-z_]+$/);
  });
});
