// The `/metrics` body: every shard's totals, the proxies' revisions from heartbeats, plus other line sources.
import {
  collectFamilies,
  createAggregate,
  encodePrometheus,
  setAggregateGauge,
  type MetricFamily,
  type MetricsAggregate,
} from "../../../shared/telemetry/index";
import type { ProxyStatus } from "../durable/control-plane";

export interface ExpositionInput {
  /** The revision the control plane serves. */
  revision: number;
  /** Proxies recently seen (heartbeats): their served revision. */
  proxies: readonly ProxyStatus[];
  /** Every MetricsShard's totals. */
  totals: readonly MetricsAggregate[];
  /** Exposition lines produced elsewhere (e.g. the mesh CA's), appended as they are. */
  extraLines?: readonly string[];
}

/** Prometheus text for the whole mesh. A family named in `extraLines` is left to them (no duplicate TYPE). */
export function exposition(input: ExpositionInput): string {
  const heartbeats = createAggregate();
  for (const proxy of input.proxies) {
    if (proxy.revision === null) continue;
    const seen = Date.parse(proxy.lastSeen);
    setAggregateGauge(heartbeats, "mesh_proxy_config_revision", { proxy: proxy.id }, proxy.revision, seen);
  }
  const extra = input.extraLines ?? [];
  const claimed = new Set(extra.flatMap((line) => /^# TYPE (\S+) /.exec(line)?.[1] ?? []));
  const families: MetricFamily[] = collectFamilies([...input.totals, heartbeats]).filter((f) => !claimed.has(f.name));
  families.push({
    name: "mesh_config_revision",
    help: "The configuration revision the control plane serves.",
    type: "gauge",
    samples: [{ labels: [], value: input.revision }],
  });
  const text = encodePrometheus(families);
  return extra.length === 0 ? text : `${text}${extra.join("\n")}\n`;
}
