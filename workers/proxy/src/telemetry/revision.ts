// Telemetry settings of one config revision, derived once per revision: sampling and the sinks of each service.
import { sinkSignals, sinksForService, type TelemetrySinkModel } from "../../../../shared/model/telemetry";
import type { CompiledConfig } from "../config/compiled";

export interface ServiceSinks {
  logs: TelemetrySinkModel[];
  traces: TelemetrySinkModel[];
}

export interface RevisionTelemetry {
  revision: number;
  /** ms since the epoch when the control plane created the revision; NaN when unknown. */
  createdMs: number;
  samplingPercent: number;
  accessLogs: boolean;
  /** Sinks for requests to a service (`<namespace>/<name>`), or to no known service (`null`: mesh-wide sinks). */
  sinksFor(serviceKey: string | null): ServiceSinks;
}

const NO_SINKS: ServiceSinks = { logs: [], traces: [] };
const byConfig = new WeakMap<CompiledConfig, RevisionTelemetry>();

export function revisionTelemetry(config: CompiledConfig): RevisionTelemetry {
  let found = byConfig.get(config);
  if (found === undefined) {
    found = derive(config);
    byConfig.set(config, found);
  }
  return found;
}

function derive(config: CompiledConfig): RevisionTelemetry {
  const model = config.telemetry;
  const perService = new Map<string | null, ServiceSinks>();
  return {
    revision: config.revision,
    createdMs: config.generatedAt === undefined ? Number.NaN : Date.parse(config.generatedAt),
    // MeshConfig `tracing.samplingPercent` is the mesh-wide default for new traces.
    samplingPercent: config.mesh.tracing?.samplingPercent ?? model?.samplingPercent ?? 100,
    accessLogs: model?.accessLogs ?? true,
    sinksFor(serviceKey) {
      if (model === undefined || model.sinks.length === 0) return NO_SINKS;
      let sinks = perService.get(serviceKey);
      if (sinks === undefined) {
        const applicable =
          serviceKey === null
            ? model.sinks.filter((s) => s.services === undefined)
            : sinksForService(model, serviceKey);
        sinks = {
          logs: applicable.filter((s) => sinkSignals(s).includes("logs")),
          traces: applicable.filter((s) => sinkSignals(s).includes("traces")),
        };
        perService.set(serviceKey, sinks);
      }
      return sinks;
    },
  };
}
