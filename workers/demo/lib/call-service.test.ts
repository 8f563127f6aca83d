// callService: dependency answers and failures become data, never exceptions.
import { describe, expect, it } from "vitest";
import { callService } from "./call-service";

function meshReturning(respond: (request: Request, signal?: AbortSignal) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const MESH = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request);
      return respond(request, init?.signal ?? undefined);
    },
  } as unknown as Fetcher;
  return { env: { MESH }, seen };
}

describe("callService", () => {
  it("returns the JSON body of a 2xx answer and forwards end-user", async () => {
    const { env, seen } = meshReturning(() => Response.json({ service: "details", version: "v1" }));
    const result = await callService(env, "http://details/details/0", new Headers({ "end-user": "jason" }), {
      timeoutMs: 1000,
    });
    expect(result).toEqual({ ok: true, status: 200, body: { service: "details", version: "v1" } });
    expect(seen[0]?.headers.get("end-user")).toBe("jason");
    expect(seen[0]?.url).toBe("http://details/details/0");
  });

  it.each([
    [
      "mesh error",
      Response.json({ error: { code: "fault_injected", message: "fault" } }, { status: 500 }),
      500,
      { code: "fault_injected", message: "fault" },
    ],
    [
      "service error string",
      Response.json({ error: "please provide numeric product id" }, { status: 400 }),
      400,
      { message: "please provide numeric product id" },
    ],
    ["plain text", new Response("upstream connect error", { status: 503 }), 503, { message: "upstream connect error" }],
    ["empty body", new Response(null, { status: 502 }), 502, { message: "status 502" }],
    [
      "2xx that is not JSON",
      new Response("<html>", { status: 200 }),
      502,
      { code: "bad_body", message: "answer was not a JSON object" },
    ],
  ])("%s → {status, error}", async (_name, response, status, error) => {
    const { env } = meshReturning(() => response);
    const result = await callService(env, "http://ratings/ratings/0", new Headers(), { timeoutMs: 1000 });
    expect(result).toEqual({ ok: false, status, error });
  });

  it("aborts a call that takes longer than the timeout and reports 504", async () => {
    const { env } = meshReturning(
      (_request, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason));
        }),
    );
    const result = await callService(env, "http://ratings/ratings/0", new Headers(), { timeoutMs: 20 });
    expect(result).toMatchObject({ ok: false, status: 504, error: { code: "timeout" } });
  });

  it("reports a thrown fetch as 502", async () => {
    const { env } = meshReturning(() => {
      throw new Error("connection refused");
    });
    const result = await callService(env, "http://ratings/ratings/0", new Headers(), { timeoutMs: 1000 });
    expect(result).toMatchObject({ ok: false, status: 502, error: { code: "call_failed" } });
  });
});
