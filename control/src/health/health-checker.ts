// HealthChecker: the Durable Object that runs active health checks (Service `healthCheck`) on alarms and keeps
// the ejections proxies report, and answers both as one EndpointHealthModel that ProxyApi hands to proxies
// with their config polls. State is in memory: after a restart every endpoint is `unknown` (in rotation) until
// probed again, and reported ejections are re-learnt from the next reports — both err towards serving.
import { DurableObject } from "cloudflare:workers";
import type { EndpointHealthModel, HealthCheckModel } from "../../../shared/model/resilience";
import { parseSnapshot } from "../../../shared/model/snapshot";
import {
  createHealthCheckState,
  nextProbeTime,
  probeSucceeded,
  recordProbe,
  type HealthCheckState,
} from "../../../shared/resilience/index";
import { controlPlane, type ControlEnv } from "../env";
import { liveEjections, mergeReport, type EjectionTable } from "./ejections";
import { probeable, probeEndpoint } from "./probe";
import type { EndpointModel } from "../../../shared/model/snapshot";

interface Target {
  service: string;
  endpoint: EndpointModel;
  config: HealthCheckModel;
  /** Identity of what is checked: a changed URL or check restarts the state. */
  signature: string;
  state: HealthCheckState;
}

/** Alarms never fire closer together than this, whatever the configured intervals. */
const MIN_ALARM_GAP_MS = 50;

export class HealthChecker extends DurableObject<ControlEnv> {
  private revision: number | null = null;
  private syncing: Promise<void> | null = null;
  private readonly targets = new Map<string, Target>();
  private readonly ejections: EjectionTable = new Map();

  /** Endpoint health for proxies; `revision` is the config revision the caller serves (re-reads the checks when newer). */
  async health(revision: number): Promise<EndpointHealthModel> {
    if (revision !== this.revision) await this.sync();
    const now = Date.now();
    const unhealthy: Record<string, string[]> = {};
    for (const t of this.targets.values()) {
      if (t.state.status === "unhealthy") (unhealthy[t.service] ??= []).push(t.endpoint.id);
    }
    return { generatedAtMs: now, unhealthy, ejections: liveEjections(this.ejections, now) };
  }

  /** Ejections one proxy isolate made (destination key → ejections), shared with every other proxy. */
  reportEjections(report: unknown): number {
    return mergeReport(this.ejections, report, Date.now());
  }

  override async alarm(): Promise<void> {
    if (this.revision === null) await this.sync();
    const now = Date.now();
    const due = [...this.targets.values()].filter((t) => t.state.nextProbeAtMs <= now);
    await Promise.all(
      due.map(async (t) => {
        const status = await probeEndpoint(this.env, t.endpoint, t.config.path, t.config.timeoutMs);
        const change = recordProbe(t.state, probeSucceeded(status), Date.now(), t.config);
        if (change !== null) {
          console.log(`control: health of ${t.service} endpoint ${t.endpoint.id}: ${change.from} → ${change.to}`);
        }
      }),
    );
    await this.schedule();
  }

  /** Reads the current snapshot and rebuilds the check list, keeping the state of checks that did not change. */
  private sync(): Promise<void> {
    this.syncing ??= this.load().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async load(): Promise<void> {
    const stored = await controlPlane(this.env).getSnapshot();
    const snapshot = parseSnapshot(JSON.parse(stored.json));
    if (snapshot === null) throw new Error(`revision ${stored.revision}: stored snapshot is invalid`);
    const now = Date.now();
    const seen = new Set<string>();
    for (const [service, model] of Object.entries(snapshot.services)) {
      const config = model.policy.resilience?.healthCheck;
      if (config === undefined) continue;
      for (const endpoint of model.endpoints) {
        if (!probeable(this.env, endpoint)) continue;
        const key = `${service}#${endpoint.id}`;
        const signature = JSON.stringify([endpoint.url ?? endpoint.worker, config]);
        seen.add(key);
        const known = this.targets.get(key);
        if (known !== undefined && known.signature === signature) continue;
        this.targets.set(key, { service, endpoint, config, signature, state: createHealthCheckState(now) });
      }
    }
    for (const key of this.targets.keys()) if (!seen.has(key)) this.targets.delete(key);
    this.revision = stored.revision;
    await this.schedule();
  }

  private async schedule(): Promise<void> {
    const next = nextProbeTime([...this.targets.values()].map((t) => t.state));
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now() + MIN_ALARM_GAP_MS));
  }
}
