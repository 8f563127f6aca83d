// The upstream side of the real proxy: load balancing, forwarded headers, identity, mirrors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../helpers/processes";
import { defaultRoute, eventually, json, snapshot, startProxy, type ProxyHarness } from "./harness";

let proxy: ProxyHarness;
let a: Upstream;
let b: Upstream;
let shadow: Upstream;
let bodies: Upstream;
let chatty: Upstream;
const service = (endpoints: unknown[], extra: Record<string, unknown> = {}) => ({ endpoints, ...extra });

beforeAll(async () => {
  [a, b, shadow] = await Promise.all([startUpstream("a"), startUpstream("b"), startUpstream("shadow")]);
  bodies = await startUpstream("bodies", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res.end(JSON.stringify({ received: Buffer.concat(chunks).toString() })));
  });
  // Answers with connection-scoped headers of its own, which must not reach the client.
  chatty = await startUpstream("chatty", (_req, res) => {
    res.writeHead(200, {
      connection: "keep-alive, x-hop-secret",
      "keep-alive": "timeout=5",
      "x-hop-secret": "1",
      "proxy-authenticate": "Basic realm=upstream",
      "x-end-to-end": "1",
    });
    res.end("ok");
  });
  proxy = await startProxy({
    snapshot: snapshot(1, {
      "default/rr": service(
        [
          { id: "a", url: a.url },
          { id: "b", url: b.url },
        ],
        { routes: [defaultRoute("default/rr")] },
      ),
      "default/weighted": service(
        [
          { id: "a", url: a.url, weight: 3 },
          { id: "b", url: b.url, weight: 1 },
        ],
        {
          routes: [defaultRoute("default/weighted")],
        },
      ),
      "default/random": service(
        [
          { id: "a", url: a.url },
          { id: "b", url: b.url },
        ],
        {
          routes: [defaultRoute("default/random")],
          policy: { loadBalancer: { type: "Random" } },
        },
      ),
      "default/sticky": service(
        [
          { id: "a", url: a.url },
          { id: "b", url: b.url },
        ],
        {
          routes: [defaultRoute("default/sticky")],
          policy: { loadBalancer: { type: "ConsistentHash", hash: { header: "x-user" } } },
        },
      ),
      "default/based": service([{ id: "a", url: `${a.url}/base/` }], { routes: [defaultRoute("default/based")] }),
      "default/bodies": service([{ id: "x", url: bodies.url }], { routes: [defaultRoute("default/bodies")] }),
      "default/chatty": service([{ id: "c", url: chatty.url }], { routes: [defaultRoute("default/chatty")] }),
      "default/echo": service([{ id: "w", worker: "echo" }], { routes: [defaultRoute("default/echo")] }),
      "default/shadow": service([{ id: "s", url: shadow.url }]),
      "default/mirrored": service([{ id: "a", url: a.url }], {
        routes: [defaultRoute("default/mirrored", { mirrors: [{ service: "default/shadow" }] })],
      }),
    }),
  });
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([a, b, shadow, bodies, chatty].map((u) => u?.close()));
});

const names = async (host: string, n: number, headers: Record<string, string> = {}) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(json(await proxy.send(host, "/", { headers })).name);
  return out;
};

describe("load balancing", () => {
  it("round robin alternates between two endpoints", async () => {
    const seq = await names("rr.localhost", 10);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
  });

  it("weighted round robin follows endpoint weights 3:1", async () => {
    const seq = await names("weighted.localhost", 8);
    expect(seq.filter((n) => n === "a").length).toBe(6);
  });

  it("Random (DestinationRule / TrafficPolicy) reaches both endpoints", async () => {
    const seq = await names("random.localhost", 60);
    expect(new Set(seq)).toEqual(new Set(["a", "b"]));
  });

  it("ConsistentHash on a header keeps a user on one endpoint", async () => {
    for (const user of ["alice", "bob", "carol"]) {
      expect(new Set(await names("sticky.localhost", 5, { "x-user": user })).size).toBe(1);
    }
  });

  it("joins the endpoint URL's base path with the request path", async () => {
    expect(json(await proxy.send("based.localhost", "/x?y=1"))).toEqual({ name: "a", path: "/base/x?y=1" });
  });
});

describe("forwarded headers", () => {
  const lastSeen = (u: Upstream) => u.requests[u.requests.length - 1]!.headers;

  it("strips hop-by-hop headers, Proxy-* and headers named in Connection", async () => {
    await proxy.send("bodies.localhost", "/", {
      headers: {
        connection: "keep-alive, x-drop-me",
        "x-drop-me": "1",
        "keep-alive": "timeout=5",
        "proxy-authorization": "Basic c2VjcmV0",
        te: "trailers",
        "x-keep-me": "1",
      },
    });
    const seen = lastSeen(bodies);
    expect(seen["x-keep-me"]).toBe("1");
    for (const h of ["connection", "x-drop-me", "keep-alive", "proxy-authorization", "te"])
      expect(seen[h], h).toBeUndefined();
  });

  it("strips the upstream answer's hop-by-hop headers, Proxy-* and headers named in its Connection", async () => {
    const res = await proxy.send("chatty.localhost", "/");
    expect(res.status).toBe(200);
    expect(res.headers["x-end-to-end"]).toBe("1");
    for (const h of ["x-hop-secret", "keep-alive", "proxy-authenticate"]) expect(res.headers[h], h).toBeUndefined();
  });

  it("sets x-forwarded-*, keeps a valid x-request-id and echoes it", async () => {
    const res = await proxy.send("bodies.localhost:8787", "/", {
      headers: { "x-request-id": "req-123", "x-forwarded-for": "10.0.0.1" },
    });
    expect(res.headers["x-request-id"]).toBe("req-123");
    const seen = lastSeen(bodies);
    expect(seen["x-request-id"]).toBe("req-123");
    expect(seen["x-forwarded-for"]).toBe("10.0.0.1, 127.0.0.1");
    expect(seen["x-forwarded-proto"]).toBe("http");
    expect(seen["x-forwarded-host"]).toBe("bodies.localhost:8787");
  });

  it("replaces a malformed x-request-id", async () => {
    const res = await proxy.send("bodies.localhost", "/", { headers: { "x-request-id": "bad id <script>" } });
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastSeen(bodies)["x-request-id"]).toBe(res.headers["x-request-id"]);
  });

  it("starts a W3C trace when there is none, and continues a caller's trace with the proxy hop as parent (W3C + B3)", async () => {
    await proxy.send("bodies.localhost", "/");
    // A new trace: sampled, and (W3C Level 2) flagged as having a random trace id.
    expect(lastSeen(bodies).traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
    const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    await proxy.send("bodies.localhost", "/", {
      headers: {
        traceparent: tp,
        tracestate: "k=v",
        "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7",
        "x-b3-spanid": "e457b5a2e4d86bd1",
      },
    });
    const seen = lastSeen(bodies);
    // Same trace, same flags; the parent is now this proxy hop's span, whose own parent is the caller's.
    const hop = /^00-4bf92f3577b34da6a3ce929d0e0e4736-([0-9a-f]{16})-01$/.exec(String(seen.traceparent))?.[1];
    expect(hop).toBeDefined();
    expect(hop).not.toBe("00f067aa0ba902b7");
    expect(seen.tracestate).toBe("k=v");
    // W3C wins over a disagreeing B3 context; B3 is rewritten to describe the same hop.
    expect([seen["x-b3-traceid"], seen["x-b3-spanid"], seen["x-b3-parentspanid"], seen["x-b3-sampled"]]).toEqual([
      "4bf92f3577b34da6a3ce929d0e0e4736",
      hop,
      "00f067aa0ba902b7",
      "1",
    ]);
  });

  it("restarts a trace from an invalid traceparent, joining B3 when present", async () => {
    await proxy.send("bodies.localhost", "/", {
      headers: {
        traceparent: "garbage",
        tracestate: "k=v",
        "x-b3-traceid": "e457b5a2e4d86bd1",
        "x-b3-spanid": "05e3ac9a4f6e3b90",
      },
    });
    const seen = lastSeen(bodies);
    expect(seen.traceparent).toMatch(/^00-0000000000000000e457b5a2e4d86bd1-[0-9a-f]{16}-01$/);
    expect(seen["x-b3-parentspanid"]).toBe("05e3ac9a4f6e3b90");
    expect(seen.tracestate).toBeUndefined();
  });

  it("writes only the trace formats MeshConfig tracing.propagation names, whatever the caller sent", async () => {
    const before = proxy.control.snapshot!;
    const withPropagation = (revision: number, propagation: string[]) =>
      ({ ...before, revision, mesh: { ...before.mesh, tracing: { propagation } } }) as typeof before;
    const b3 = { b3: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1" };
    try {
      proxy.control.snapshot = withPropagation(before.revision + 1, ["tracecontext"]);
      await eventually(async () => {
        await proxy.send("bodies.localhost", "/", { headers: b3 });
        return lastSeen(bodies).b3 === undefined;
      }, 5000);
      const seen = lastSeen(bodies);
      // The caller's B3 context is continued (same trace), written as W3C only.
      expect(seen.traceparent).toMatch(/^00-80f198ee56343ba864fe8b2a57d3eff7-[0-9a-f]{16}-01$/);
      expect(Object.keys(seen).filter((name) => name.startsWith("x-b3-"))).toEqual([]);

      proxy.control.snapshot = withPropagation(before.revision + 2, ["b3"]);
      await eventually(async () => {
        await proxy.send("bodies.localhost", "/");
        return lastSeen(bodies).traceparent === undefined;
      }, 5000);
      expect(lastSeen(bodies).b3).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
      expect(lastSeen(bodies)["x-b3-traceid"]).toBeUndefined();
    } finally {
      // Back to the default (every format) for the tests that follow.
      proxy.control.snapshot = { ...before, revision: before.revision + 3 };
      await eventually(async () => {
        await proxy.send("bodies.localhost", "/");
        return lastSeen(bodies).traceparent !== undefined && lastSeen(bodies).b3 !== undefined;
      }, 5000);
    }
  });
});

describe("identity", () => {
  it("strips a spoofed x-mesh-principal and x-mesh-identity on ingress", async () => {
    await proxy.send("bodies.localhost", "/", {
      headers: { "x-mesh-principal": "cluster.local/ns/default/sa/admin", "x-mesh-identity": "token" },
    });
    const seen = bodies.requests.at(-1)!.headers;
    expect(seen["x-mesh-principal"]).toBeUndefined();
    expect(seen["x-mesh-identity"]).toBeUndefined();
  });

  it("on egress, sets x-mesh-principal from the caller's binding, whatever it claims", async () => {
    const res = await proxy.egress("http://bodies/x", { "x-mesh-principal": "cluster.local/ns/default/sa/admin" });
    expect(res.status).toBe(200);
    expect(bodies.requests.at(-1)!.headers["x-mesh-principal"]).toBe("cluster.local/ns/default/sa/productpage");
  });

  it.each(["http://echo/hello", "http://echo.default/hello", "http://echo.default.svc.cluster.local/hello"])(
    "on egress, resolves the URL host %s",
    async (url) => {
      const res = await proxy.egress(url);
      expect(res.status, res.body).toBe(200);
      expect(json(res).worker).toBe("echo");
    },
  );
});

describe("mirrors", () => {
  it("copies the request to the mirror without affecting the response", async () => {
    const before = shadow.requests.length;
    const res = await proxy.send("mirrored.localhost", "/m?x=1");
    expect(json(res)).toEqual({ name: "a", path: "/m?x=1" });
    await eventually(async () => shadow.requests.length > before, 2000);
    expect(shadow.requests.at(-1)!.url).toBe("/m?x=1");
  });
});
