// The dashboard in a real headless Chromium: after traffic it draws the demo's services and the edges between them.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { CHROMIUM, missing } from "./tools";

if (!CHROMIUM) console.warn(missing("chromium", "chromium"));

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!CHROMIUM)("the dashboard", () => {
  let mesh: TestMesh;

  beforeAll(async () => {
    mesh = await startMesh({ demo: true });
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it("shows the service graph with live rates, golden metrics, resources and revisions", async () => {
    for (let i = 0; i < 6; i++) {
      expect((await mesh.fetch("productpage.localhost", "/api/v1/products/0")).status).toBe(200);
    }
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      // Plain 127.0.0.1 is the control plane; locally the page offers (and uses) the development token.
      await page.goto(`http://127.0.0.1:${mesh.port}/dashboard`);
      const edge = (source: string, destination: string) =>
        page.locator(`#graph g.edge[data-source="${source}"][data-destination="${destination}"]`);
      await edge("default/productpage", "default/reviews").waitFor({ timeout: 20_000 });
      for (const svc of ["productpage", "details", "reviews", "ratings"]) {
        await expect(page.locator(`#graph g.node[data-id="default/${svc}"]`).count()).resolves.toBe(1);
      }
      await edge("default/productpage", "default/details").waitFor();
      await edge("default/reviews", "default/ratings").waitFor();
      await expect(edge("default/productpage", "default/details").textContent()).resolves.toMatch(
        /rps.*err.*p50 .* p99 .* ms/,
      );
      await expect(page.locator("#golden tbody").textContent()).resolves.toContain("default/productpage");
      await expect(page.locator("#resources tbody").textContent()).resolves.toContain("productpage");
      await expect(page.locator("#revisions tbody tr").count()).resolves.toBeGreaterThan(0);

      // Live: new traffic to httpbin appears without a reload.
      expect((await mesh.fetch("httpbin.localhost", "/get")).status).toBe(200);
      await edge("unknown", "default/httpbin").waitFor({ timeout: 10_000 });

      mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
      await page.screenshot({ path: join(ROOT, "test-artifacts/dashboard.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("serves the page without a token, and refuses the API without one", async () => {
    const page = await mesh.fetch("localhost", "/dashboard");
    expect(page.status).toBe(200);
    expect(page.body).toContain("flaremesh-dev-admin-token"); // offered locally only (MESH_DEV_TOKEN)
    expect((await mesh.api("GET", "/v1/topology", undefined, { token: null })).status).toBe(401);
  });
});
