// A TelemetrySink that is down or slow changes neither the status nor the latency of the requests it describes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/processes";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { startReceiver, waitFor, type Receiver } from "./tools";

const N = 20;

async function timed(mesh: TestMesh): Promise<{ statuses: number[]; ms: number[] }> {
  const statuses: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    const res = await mesh.fetch("productpage.localhost", "/api/v1/products/0", {
      headers: { traceparent: `00-${(i + 1).toString(16).padStart(32, "a")}-b7ad6b7169203331-01` },
    });
    ms.push(performance.now() - started);
    statuses.push(res.status);
  }
  return { statuses, ms };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("a slow or dead sink", () => {
  let mesh: TestMesh;
  let slow: Receiver;

  beforeAll(async () => {
    slow = await startReceiver();
    slow.slowMs = 10_000;
    mesh = await startMesh({ demo: true });
  });
  afterAll(async () => {
    await mesh?.stop();
    await slow?.stop();
  });

  it("leaves every status and latency as it was without sinks", async () => {
    await timed(mesh); // warm every Worker up
    const before = await timed(mesh);

    const closed = await freePort(); // nothing listens here: connection refused
    const sinks = [
      `{type: loki, endpoint: "${slow.url}/slow", batch: {maxEntries: 1, maxDelay: 0s}}`,
      `{type: otlp-http, endpoint: "http://127.0.0.1:${closed}", batch: {maxEntries: 1, maxDelay: 0s}}`,
      `{type: syslog, endpoint: "tcp://127.0.0.1:${closed}", batch: {maxEntries: 1, maxDelay: 0s}}`,
    ]
      .map(
        (spec, i) =>
          `apiVersion: flaremesh.dev/v1alpha1\nkind: TelemetrySink\nmetadata: {name: broken-${i}}\nspec: ${spec}`,
      )
      .join("\n---\n");
    const applied = await mesh.api("POST", "/v1/apply", sinks);
    expect(applied.status, applied.body).toBe(200);
    const revision = (applied.json as { revision: number }).revision;
    await waitFor("the proxy to serve the sinks", async () => {
      await mesh.fetch("details.localhost", "/details/0");
      const status = (await mesh.api("GET", "/v1/status")).json as { proxies: { revision: number | null }[] };
      return status.proxies.some((p) => p.revision === revision);
    });

    const after = await timed(mesh);
    expect(after.statuses).toEqual(before.statuses);
    expect(after.statuses.every((s) => s === 200)).toBe(true);
    // The slow sink holds each send for 10 s; a request that waited for it would show it.
    expect(Math.max(...after.ms)).toBeLessThan(1_000);
    expect(median(after.ms)).toBeLessThan(median(before.ms) + 50);
    // Shipping was really attempted (and is still hanging) while the requests were answered.
    await waitFor("the slow sink to be called", async () =>
      slow.received.some((r) => r.path === "/slow/loki/api/v1/push"),
    );
  });
});
