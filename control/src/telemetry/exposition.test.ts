import { describe, expect, it } from "vitest";
import { createAggregate, createRegistry, mergeDelta, record, takeDelta } from "../../../shared/telemetry/index";
import { exposition } from "./exposition";
import { shardIndex } from "./shards";

function shardWith(requests: number, source: string) {
  const registry = createRegistry(source);
  for (let i = 0; i < requests; i++) record(registry, { destination_service_name: "reviews", response_code: "200" }, 3);
  const aggregate = createAggregate();
  mergeDelta(aggregate, takeDelta(registry, 1_000)!, 1_000);
  return aggregate;
}

describe("exposition", () => {
  const text = exposition({
    revision: 7,
    proxies: [
      { id: "p1", worker: "flaremesh-proxy", revision: 7, lastSeen: "2024-06-01T00:00:00.000Z", upToDate: true },
      { id: "p2", worker: "flaremesh-proxy", revision: null, lastSeen: "2024-06-01T00:00:00.000Z", upToDate: false },
    ],
    totals: [shardWith(2, "a"), shardWith(3, "b")],
    extraLines: [
      "# HELP mesh_ca_root_expiry_seconds x",
      "# TYPE mesh_ca_root_expiry_seconds gauge",
      "mesh_ca_root_expiry_seconds 5",
    ],
  });

  it("sums every shard's series once, with histogram buckets", () => {
    expect(text).toMatch(/^mesh_requests_total\{[^}]*destination_service_name="reviews"[^}]*\} 5$/m);
    expect(text).toMatch(/^mesh_request_duration_milliseconds_bucket\{[^}]*le="5"\} 5$/m);
    expect(text).toMatch(/^mesh_request_duration_milliseconds_count\{[^}]*\} 5$/m);
  });

  it("exposes the served revision and each proxy's revision from heartbeats", () => {
    expect(text).toMatch(/^mesh_config_revision 7$/m);
    expect(text).toMatch(/^mesh_proxy_config_revision\{proxy="p1"\} 7$/m);
    expect(text).not.toContain('proxy="p2"');
  });

  it("leaves a family to the extra lines that declare it (one TYPE line per family)", () => {
    const types = text.split("\n").filter((l) => l.startsWith("# TYPE "));
    expect(new Set(types).size).toBe(types.length);
    expect(types.filter((l) => l.startsWith("# TYPE mesh_ca_root_expiry_seconds"))).toHaveLength(1);
  });
});

describe("shardIndex", () => {
  it("spreads sources stably over the shards", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const index = shardIndex(`proxy-${i}`, 4);
      expect(index).toBe(shardIndex(`proxy-${i}`, 4));
      seen.add(index);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});
