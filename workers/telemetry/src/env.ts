// The telemetry shipper's bindings: the control plane (for its metrics) and, by name, the sinks' header secrets.
import type { MetricsDelta } from "../../../shared/telemetry/index";

export interface ShipperEnv {
  /** ProxyApi of flaremesh-control: the shipper's sent/dropped counters go where the proxies' metrics go. */
  CONTROL: { reportMetrics(delta: MetricsDelta): Promise<{ result: "applied" | "duplicate" }> };
  /** The shipper's own queue: a delayed wake-up message restarts shipping when entries still wait for a sink. */
  TELEMETRY_QUEUE?: { send(body: string, options?: { contentType?: "text"; delaySeconds?: number }): Promise<unknown> };
  /** Worker secrets named by TelemetrySink headers (`{secret: LOKI_TOKEN}`), read at send time. */
  [secret: string]: unknown;
}

/** The value of a secret binding, or undefined when the shipper has none by that name. */
export function secretValue(env: ShipperEnv, name: string): string | undefined {
  const value = env[name];
  return typeof value === "string" ? value : undefined;
}
