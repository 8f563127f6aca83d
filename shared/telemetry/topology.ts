// The service graph for `GET /v1/topology`: nodes and edges with traffic, errors and latency, from request histograms.
import { DURATION_BUCKETS_MS, METRICS, OVERFLOW_VALUE, UNKNOWN_VALUE } from "./catalog";
import type { MetricsAggregate } from "./aggregate";
import type { HistogramSample, MetricsDelta } from "./metrics-delta";

export type NodeKind = "service" | "workload" | "unknown";
export interface TopologyNode {
  id: string;
  kind: NodeKind;
}
export interface TopologyEdge {
  source: string;
  destination: string;
  requests: number;
  /** 5xx answers and requests that got no answer at all (code 0). */
  errors: number;
  /** Estimated from histogram buckets like PromQL `histogram_quantile`; null without traffic. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Over the window, when the topology was built from a window of deltas. */
  requestsPerSecond?: number;
  errorRate: number;
}
export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Set when built from a time window of deltas. */
  windowMs?: number;
}

const LABEL_INDEX = Object.fromEntries(
  METRICS.mesh_request_duration_milliseconds.labels.map((name, i) => [name, i]),
) as Record<(typeof METRICS.mesh_request_duration_milliseconds.labels)[number], number>;

/**
 * PromQL's `histogram_quantile` on per-bucket counts: find the bucket holding rank q·count and
 * interpolate linearly inside it (from 0 for the first bucket); a rank in `+Inf` returns the highest bound.
 */
export function histogramQuantile(q: number, bounds: readonly number[], buckets: readonly number[]): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const rank = Math.min(1, Math.max(0, q)) * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i] ?? 0;
    if (below + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? null;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      return lower + ((bounds[i]! - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return bounds[bounds.length - 1] ?? null;
}

/** Istio principal `<trust-domain>/ns/<namespace>/sa/<service>` → `<namespace>/<service>`. */
function principalService(principal: string): string | undefined {
  const m = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal.replace(/^spiffe:\/\//, ""));
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function endpoints(labels: readonly string[]): { source: TopologyNode; destination: TopologyNode } {
  const at = (name: keyof typeof LABEL_INDEX) => labels[LABEL_INDEX[name]] ?? UNKNOWN_VALUE;
  const known = (v: string) => v !== UNKNOWN_VALUE && v !== OVERFLOW_VALUE && v !== "";
  const destName = at("destination_service_name");
  const destNs = at("destination_service_namespace");
  const destination: TopologyNode = known(destName)
    ? { id: `${known(destNs) ? destNs : "default"}/${destName}`, kind: "service" }
    : { id: destName === OVERFLOW_VALUE ? OVERFLOW_VALUE : UNKNOWN_VALUE, kind: "unknown" };
  const bySa = principalService(at("source_principal"));
  const workload = at("source_workload");
  const workloadNs = at("source_workload_namespace");
  let source: TopologyNode;
  if (bySa) source = { id: bySa, kind: "service" };
  else if (known(workload))
    source = { id: `${known(workloadNs) ? workloadNs : "default"}/${workload}`, kind: "workload" };
  else source = { id: workload === OVERFLOW_VALUE ? OVERFLOW_VALUE : UNKNOWN_VALUE, kind: "unknown" };
  return { source, destination };
}

function isError(code: string): boolean {
  const n = Number(code);
  return code === "0" || (Number.isInteger(n) && n >= 500);
}

/** Builds the graph from request-duration histogram samples (their counts are the request counts). */
export function topologyFromHistograms(
  samples: Iterable<HistogramSample>,
  options: { windowMs?: number } = {},
): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges = new Map<
    string,
    { source: string; destination: string; requests: number; errors: number; buckets: number[] }
  >();
  for (const sample of samples) {
    if (sample.name !== "mesh_request_duration_milliseconds" || sample.count <= 0) continue;
    const { source, destination } = endpoints(sample.labels);
    // A service node outranks a workload/unknown guess for the same id.
    for (const node of [source, destination]) if (nodes.get(node.id)?.kind !== "service") nodes.set(node.id, node);
    const key = JSON.stringify([source.id, destination.id]);
    const edge = edges.get(key) ?? {
      source: source.id,
      destination: destination.id,
      requests: 0,
      errors: 0,
      buckets: new Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0),
    };
    edge.requests += sample.count;
    if (isError(sample.labels[LABEL_INDEX.response_code] ?? "")) edge.errors += sample.count;
    sample.buckets.forEach((n, i) => (edge.buckets[i]! += n));
    edges.set(key, edge);
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  const seconds = options.windowMs !== undefined && options.windowMs > 0 ? options.windowMs / 1000 : undefined;
  const topology: Topology = {
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...edges.values()]
      .sort((a, b) => a.source.localeCompare(b.source) || a.destination.localeCompare(b.destination))
      .map((e) => ({
        source: e.source,
        destination: e.destination,
        requests: e.requests,
        errors: e.errors,
        p50Ms: round(histogramQuantile(0.5, DURATION_BUCKETS_MS, e.buckets)),
        p99Ms: round(histogramQuantile(0.99, DURATION_BUCKETS_MS, e.buckets)),
        ...(seconds !== undefined ? { requestsPerSecond: Math.round((e.requests / seconds) * 1000) / 1000 } : {}),
        errorRate: e.requests > 0 ? Math.round((e.errors / e.requests) * 10000) / 10000 : 0,
      })),
  };
  if (options.windowMs !== undefined) topology.windowMs = options.windowMs;
  return topology;
}

/**
 * Live graph: traffic in the deltas cut within `windowMs` before `nowMs` (the control plane keeps a
 * ring of recent applied deltas). Rates are per second over the window. Per `/v1/topology` call.
 */
export function topologyFromDeltas(
  deltas: readonly MetricsDelta[],
  options: { nowMs: number; windowMs: number },
): Topology {
  const since = options.nowMs - options.windowMs;
  const samples = deltas.filter((d) => d.timeMs > since && d.timeMs <= options.nowMs).flatMap((d) => d.histograms);
  return topologyFromHistograms(samples, { windowMs: options.windowMs });
}

/** All-time graph from the aggregates' totals (every node ever seen, even when idle now). */
export function topologyFromAggregates(aggregates: readonly MetricsAggregate[]): Topology {
  return topologyFromHistograms(aggregates.flatMap((a) => Object.values(a.histograms)));
}
