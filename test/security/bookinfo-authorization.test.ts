// Istio's Bookinfo task "Authorization for HTTP traffic" against the demo: allow-nothing, then productpage
// GET, then details/reviews from productpage's principal, then ratings from reviews' principal.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { apply, errorCode, eventually } from "./mesh-helpers";
import { nowSeconds, sign, testKey } from "./tokens";

let mesh: TestMesh;
const task = (file: string) => readFileSync(join(ROOT, "infra/demo/tasks", file), "utf8");

interface Embedded {
  status?: number;
  error?: { code?: string };
  service?: string;
  ratings?: Embedded;
}
interface Product {
  details: Embedded;
  reviews: Embedded;
}

async function product(): Promise<{ status: number; body: Product; raw: string; code?: string }> {
  const res = await mesh.fetch("productpage.localhost", "/api/v1/products/0");
  return { status: res.status, raw: res.body, body: JSON.parse(res.body) as Product, code: errorCode(res.body) };
}

beforeAll(async () => {
  mesh = await startMesh({ demo: true });
  // Reviews v3 calls ratings, so the last step can show it.
  await apply(mesh, task("virtual-service-reviews-v3.yaml"));
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
});

describe("Istio authorization task on Bookinfo", () => {
  it("allow-nothing: every request is 403 forbidden, and the response does not name the policy", async () => {
    await apply(mesh, task("authorization-allow-nothing.yaml"));
    const res = await eventually(async () => {
      const r = await mesh.fetch("productpage.localhost", "/productpage");
      expect(r.status).toBe(403);
      return r;
    });
    expect(errorCode(res.body)).toBe("forbidden");
    expect(res.headers["x-mesh-error"]).toBe("forbidden");
    expect(res.body).not.toContain("allow-nothing");
    expect((await mesh.fetch("details.localhost", "/details/0")).status).toBe(403);
  });

  it("productpage-viewer: GET productpage works, POST does not, and its calls to details and reviews are denied", async () => {
    await apply(mesh, task("authorization-productpage-viewer.yaml"));
    const page = await eventually(async () => {
      const p = await product();
      expect(p.status).toBe(200);
      return p;
    });
    expect(page.body.details).toMatchObject({ status: 403, error: { code: "forbidden" } });
    expect(page.body.reviews).toMatchObject({ status: 403, error: { code: "forbidden" } });
    const post = await mesh.fetch("productpage.localhost", "/productpage", { method: "POST", body: "" });
    expect(post.status).toBe(403);
  });

  it("details-viewer and reviews-viewer: productpage's principal may GET them, an anonymous caller may not", async () => {
    await apply(mesh, task("authorization-details-reviews-viewer.yaml"));
    const page = await eventually(async () => {
      const p = await product();
      expect(p.body.details.status).toBeUndefined();
      expect(p.body.reviews.service).toBe("reviews");
      return p;
    });
    // reviews v3 is allowed in, but its own call to ratings is still denied.
    expect(page.body.reviews.ratings).toMatchObject({ status: 403, error: { code: "forbidden" } });
    const direct = await mesh.fetch("details.localhost", "/details/0");
    expect(direct.status).toBe(403);
    const spoofed = await mesh.fetch("details.localhost", "/details/0", {
      headers: { "x-mesh-principal": "cluster.local/ns/default/sa/productpage" },
    });
    expect(spoofed.status).toBe(403);
  });

  it("ratings-viewer: reviews' principal may GET ratings, so the stars are back", async () => {
    await apply(mesh, task("authorization-ratings-viewer.yaml"));
    const page = await eventually(async () => {
      const p = await product();
      expect(p.body.reviews.ratings?.status).toBeUndefined();
      return p;
    });
    expect(page.body.reviews.ratings?.service).toBe("ratings");
    expect((await mesh.fetch("ratings.localhost", "/ratings/0")).status).toBe(403);
  });
});

describe("Istio task: authorization with JWT (requestPrincipals)", () => {
  it("httpbin requires a valid end-user JWT from the right issuer and subject", async () => {
    const key = await testKey("task-key");
    const issuer = "testing@secure.istio.io";
    await apply(
      mesh,
      `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt-example
  namespace: default
spec:
  selector:
    matchLabels:
      app: httpbin
  jwtRules:
    - issuer: ${issuer}
      jwks: '${JSON.stringify({ keys: [key.publicJwk] })}'
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
  namespace: default
spec:
  selector:
    matchLabels:
      app: httpbin
  action: ALLOW
  rules:
    - from:
        - source:
            requestPrincipals: ["${issuer}/${issuer}"]
      when:
        - key: request.auth.claims[groups]
          values: ["group1"]
`,
    );
    const token = async (sub: string, groups: string[]) => {
      const iat = nowSeconds();
      return sign(key, { iss: issuer, sub, groups, iat, exp: iat + 300 });
    };
    const valid = await token(issuer, ["group1"]);
    await eventually(async () => {
      const ok = await mesh.fetch("httpbin.localhost", "/headers", { headers: { authorization: `Bearer ${valid}` } });
      expect(ok.status).toBe(200);
    });
    expect((await mesh.fetch("httpbin.localhost", "/headers")).status).toBe(403);
    const wrongGroup = await mesh.fetch("httpbin.localhost", "/headers", {
      headers: { authorization: `Bearer ${await token(issuer, ["group2"])}` },
    });
    expect(wrongGroup.status).toBe(403);
    const wrongSubject = await mesh.fetch("httpbin.localhost", "/headers", {
      headers: { authorization: `Bearer ${await token("someone-else", ["group1"])}` },
    });
    expect(wrongSubject.status).toBe(403);
    const invalid = await mesh.fetch("httpbin.localhost", "/headers", { headers: { authorization: "Bearer x.y.z" } });
    expect(invalid.status).toBe(401);
  });
});
