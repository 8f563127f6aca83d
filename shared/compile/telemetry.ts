// TelemetrySink resources → the snapshot's `telemetry` section (sinks with resolved scope, batching and secrets by name).
import { durationToMs } from "../duration";
import { TelemetryModel, TelemetrySinkModel, type SinkHeaderModel } from "../model/telemetry";
import type { Resource } from "../resources/resource";
import { ofKind, type ResourceOf } from "../resources/registry";
import { parseDroppingInvalid } from "./parse-tolerant";

type SinkResource = ResourceOf<"TelemetrySink">;

/** `TelemetrySink/<namespace>/<name>`: the sink's id in metrics (`sink` label) and logs. */
export function sinkId(sink: Pick<Resource, "metadata">): string {
  return `TelemetrySink/${sink.metadata.namespace}/${sink.metadata.name}`;
}

function headersOf(spec: SinkResource["spec"]): SinkHeaderModel[] {
  return Object.entries(spec.headers ?? {}).map(([name, value]) =>
    typeof value === "string"
      ? { name: name.toLowerCase(), value }
      : {
          name: name.toLowerCase(),
          secret: value.secret,
          ...(value.prefix !== undefined ? { prefix: value.prefix } : {}),
        },
  );
}

/** The services a sink is scoped to, or undefined for a mesh-wide sink; [] when every target is gone. */
function servicesOf(sink: SinkResource, serviceKeys: ReadonlySet<string>): string[] | undefined {
  const refs = [...(sink.spec.targetRef ? [sink.spec.targetRef] : []), ...(sink.spec.targetRefs ?? [])];
  if (refs.length === 0) return undefined;
  return refs.map((r) => `${r.namespace ?? sink.metadata.namespace}/${r.name}`).filter((k) => serviceKeys.has(k));
}

function compileSink(sink: SinkResource, serviceKeys: ReadonlySet<string>): TelemetrySinkModel | undefined {
  const spec = sink.spec;
  const services = servicesOf(sink, serviceKeys);
  // A sink whose every target is unknown must not widen to mesh-wide.
  if (services !== undefined && services.length === 0) return undefined;
  const batch: Record<string, number> = {};
  if (spec.batch?.maxEntries !== undefined) batch.maxEntries = spec.batch.maxEntries;
  if (spec.batch?.maxDelay !== undefined) batch.maxDelayMs = Math.min(60_000, durationToMs(spec.batch.maxDelay));
  const input: Record<string, unknown> = {
    id: sinkId(sink),
    type: spec.type,
    endpoint: spec.endpoint,
    headers: headersOf(spec),
    batch,
  };
  if (spec.samplingPercent !== undefined) input.samplingPercent = spec.samplingPercent;
  if (services !== undefined) input.services = [...new Set(services)].sort();
  if (spec.signals !== undefined) input.signals = [...new Set(spec.signals)];
  if (spec.format !== undefined) input.format = spec.format;
  if (spec.syslog !== undefined) input.syslog = spec.syslog;
  const result = TelemetrySinkModel.safeParse(input);
  if (result.success) return result.data;
  // Validation should make this unreachable; keep the sink with the offending optional fields dropped.
  const [model, dropped] = parseDroppingInvalid(TelemetrySinkModel, input);
  return dropped.some((f) => f === "id" || f === "type" || f === "endpoint") ? undefined : model;
}

/**
 * The snapshot's `telemetry`, or undefined when no TelemetrySink exists (metrics only, nothing shipped).
 * Sinks are ordered by id, so the same resources always compile to the same snapshot. Pure.
 */
export function compileTelemetry(
  resources: readonly Resource[],
  serviceKeys: ReadonlySet<string>,
): TelemetryModel | undefined {
  const sinks = ofKind(resources, "TelemetrySink")
    .sort((a, b) => (sinkId(a) < sinkId(b) ? -1 : sinkId(a) > sinkId(b) ? 1 : 0))
    .flatMap((s) => compileSink(s, serviceKeys) ?? []);
  if (sinks.length === 0) return undefined;
  return TelemetryModel.parse({ sinks });
}
