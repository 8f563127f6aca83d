// A real Prometheus scrapes the local mesh's /metrics; the traffic the test sends shows up as predicted.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { PROMETHEUS, missing, promQuery, startPrometheus, waitFor, type Daemon } from "./tools";

if (!PROMETHEUS) console.warn(missing("prometheus", "prometheus"));

describe.skipIf(!PROMETHEUS)("Prometheus scraping /metrics", () => {
  let mesh: TestMesh;
  let prometheus: Daemon;

  beforeAll(async () => {
    mesh = await startMesh({ demo: true });
    // Plain 127.0.0.1 reaches the control plane, as `http://localhost:8787/metrics` does for a user.
    prometheus = await startPrometheus(`127.0.0.1:${mesh.port}`, mesh.adminToken);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await mesh?.stop();
  });

  const productpage = 'mesh_requests_total{destination_service_name="productpage",response_code="200"}';

  it("sees every request within 10 seconds, with Istio's labels, and a rate that matches the traffic", async () => {
    await waitFor("a first scrape", async () => (await promQuery(prometheus.port, 'up{job="flaremesh"}')) === 1);
    // A series Prometheus first sees at value W has no increase yet (as with any exporter): warm it up first.
    const W = 5;
    for (let i = 0; i < W; i++)
      expect((await mesh.fetch("productpage.localhost", "/api/v1/products/0")).status).toBe(200);
    await waitFor("the warm-up requests", async () => (await promQuery(prometheus.port, `sum(${productpage})`)) === W);
    await new Promise((r) => setTimeout(r, 2_000));

    const N = 30;
    for (let i = 0; i < N; i++) {
      const res = await mesh.fetch("productpage.localhost", "/api/v1/products/0");
      expect(res.status).toBe(200);
    }
    const sentAt = Date.now();
    await waitFor(
      `sum(${productpage}) == ${W + N}`,
      async () => (await promQuery(prometheus.port, `sum(${productpage})`)) === W + N,
      10_000,
    );
    expect(Date.now() - sentAt).toBeLessThan(10_000);

    // Every productpage call calls details once, through the mesh: same count, labelled with the caller.
    await waitFor(
      "details calls from productpage",
      async () =>
        (await promQuery(
          prometheus.port,
          'sum(mesh_requests_total{source_workload="productpage-v1",destination_service_name="details",destination_version="v1",response_flags="-",request_protocol="http"})',
        )) ===
        W + N,
    );

    // Let the window cover the whole burst and some idle scrapes, then ask for the rate Prometheus computes.
    const windowS = 20;
    await new Promise((r) => setTimeout(r, 3_000));
    const rate = await promQuery(prometheus.port, `sum(rate(${productpage}[${windowS}s]))`);
    // rate × window is the increase over the window (Prometheus extrapolates to the window's edges: ≤ ~15%).
    expect(rate).not.toBeNull();
    expect(rate! * windowS).toBeGreaterThanOrEqual(N * 0.9);
    expect(rate! * windowS).toBeLessThanOrEqual(N * 1.2);

    const p99 = await promQuery(
      prometheus.port,
      `histogram_quantile(0.99, sum by (le) (rate(mesh_request_duration_milliseconds_bucket{destination_service_name="productpage"}[${windowS}s])))`,
    );
    expect(p99).toBeGreaterThan(0);
  });

  it("scrapes revisions, propagation lag and errors with their response flags", async () => {
    expect(await promQuery(prometheus.port, "max(mesh_config_revision)")).toBeGreaterThanOrEqual(1);
    await waitFor(
      "proxy revision gauge",
      async () => (await promQuery(prometheus.port, "max(mesh_proxy_config_revision)")) !== null,
    );
    expect(await promQuery(prometheus.port, "max(mesh_config_propagation_lag_seconds)")).toBeGreaterThanOrEqual(0);

    for (let i = 0; i < 3; i++) expect((await mesh.fetch("nosuch.localhost", "/")).status).toBe(404);
    await waitFor(
      "404s flagged NR",
      async () =>
        (await promQuery(prometheus.port, 'sum(mesh_requests_total{response_code="404",response_flags="NR"})')) === 3,
      10_000,
    );
  });

  it("accepts every query of the shipped Grafana dashboard", async () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, "infra/observability/grafana-dashboard.json"), "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      const query = expr
        .replaceAll("$__rate_interval", "1m")
        .replaceAll("$namespace", ".*")
        .replaceAll("$service", ".*");
      await expect(
        promQuery(prometheus.port, query).then(() => "ok"),
        query,
      ).resolves.toBe("ok");
    }
    expect(
      await promQuery(prometheus.port, 'sum(rate(mesh_requests_total{destination_service_name=~".*"}[1m]))'),
    ).toBeGreaterThan(0);
  });
});
