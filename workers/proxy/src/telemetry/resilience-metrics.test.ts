import { describe, expect, it } from "vitest";
import { takeDelta } from "../../../../shared/telemetry/index";
import { isolateRegistry } from "./isolate";
import { countEjection, countOverflow, countRateLimited, countRetry } from "./resilience-metrics";

const reviews = { name: "reviews", namespace: "default" };

describe("resilience counters", () => {
  it("count into the isolate registry with the catalog's labels", () => {
    countRetry(reviews);
    countRetry(reviews);
    countEjection(reviews, "url:http://10.0.0.1:8080");
    countOverflow({ name: "ratings", namespace: "shop" });
    countRateLimited(reviews, "local");
    countRateLimited(reviews, "global");
    const delta = takeDelta(isolateRegistry(), 0)!;
    const series = (name: string) => delta.counters.filter((c) => c.name === name);
    expect(series("mesh_retries_total")).toEqual([
      expect.objectContaining({ labels: ["reviews", "default"], value: 2 }),
    ]);
    expect(series("mesh_outlier_ejections_total")).toEqual([
      expect.objectContaining({ labels: ["reviews", "default", "url:http://10.0.0.1:8080"], value: 1 }),
    ]);
    expect(series("mesh_circuit_breaker_overflows_total")).toEqual([
      expect.objectContaining({ labels: ["ratings", "shop"], value: 1 }),
    ]);
    expect(series("mesh_rate_limited_total").map((c) => [c.labels, c.value])).toEqual([
      [["reviews", "default", "local"], 1],
      [["reviews", "default", "global"], 1],
    ]);
  });
});
