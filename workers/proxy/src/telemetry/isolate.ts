// This isolate's telemetry state: its metrics registry (created on first use) and the flusher that reports it.
import { createRegistry, type MetricsRegistry } from "../../../../shared/telemetry/index";
import { MetricsFlusher } from "./metrics-flush";

interface IsolateTelemetry {
  registry: MetricsRegistry;
  flusher: MetricsFlusher;
}

let state: IsolateTelemetry | null = null;

/**
 * The isolate's registry. Other stages count through it too, e.g.
 * `inc(isolateRegistry(), "mesh_retries_total", {destination_service_name, destination_service_namespace})`;
 * whatever is counted reaches `/metrics` with the next background flush.
 */
export function isolateRegistry(): MetricsRegistry {
  return isolateTelemetry().registry;
}

export function isolateTelemetry(): IsolateTelemetry {
  // Made on first use: workerd refuses randomness at global scope. A restarted isolate is a new source,
  // so the control plane's totals never go backwards.
  if (state === null) {
    const registry = createRegistry(`proxy-${crypto.randomUUID()}`);
    state = { registry, flusher: new MetricsFlusher(registry) };
  }
  return state;
}
