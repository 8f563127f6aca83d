// A snapshot compiled for serving: route tables and endpoint sets built once per revision, with their LB state.
import type { EndpointModel, LoadBalancerModel, ServiceModel, SnapshotModel } from "../../../../shared/model/snapshot";
import { MeshResilienceModel } from "../../../../shared/model/resilience";
import type { PeerModeModel } from "../../../../shared/model/security";
import { effectivePeerMode } from "../../../../shared/security/index";
import { compileRouteTable, type CompiledRouteTable } from "../../../../shared/routing/route-table";
import { createRoundRobinState, type RoundRobinState } from "../../../../shared/routing/round-robin";
import { filterEndpointsBySubset } from "../../../../shared/routing/subset";

/** The endpoints of one (service, subset) and the round-robin position over them. */
export interface EndpointSet {
  endpoints: EndpointModel[];
  /** The endpoints' ids, in the same order (outlier detection and retries work on ids). */
  ids: readonly string[];
  roundRobin: RoundRobinState;
}

export interface CompiledService {
  key: string;
  model: ServiceModel;
  table: CompiledRouteTable;
  loadBalancer: LoadBalancerModel;
  /** All endpoints. */
  all: EndpointSet;
  /** Subset name → its endpoints. A subset missing here is not defined by any DestinationRule. */
  subsets: Map<string, EndpointSet>;
  /** The peer mode enforced: its PeerAuthentication's, else the mesh's default of this revision. */
  peerMode: PeerModeModel;
}

export interface CompiledConfig {
  revision: number;
  trustDomain: string;
  services: Map<string, CompiledService>;
  /** Conditions that can never match (invalid regexes), per service, for logs. */
  problems: string[];
  /** Mesh-wide settings of the snapshot (MeshConfig: default timeout and retry policy, ...). */
  mesh: SnapshotModel["mesh"];
  /**
   * The mesh's resilience defaults, the same object from one revision to the next while they are equal: what is
   * resolved from them per route is kept while they are (resilience/route-policy.ts).
   */
  meshResilience: MeshResilienceModel;
  /** MeshConfig `requestId.setInResponse` (default true): whether responses carry the request's `x-request-id`. */
  setRequestIdInResponse: boolean;
  /** Additive (telemetry): sinks and sampling of this revision, absent when no TelemetrySink exists. */
  telemetry?: SnapshotModel["telemetry"];
  /** Additive (telemetry): when the control plane created the revision (ISO 8601), for propagation lag. */
  generatedAt?: string;
}

/**
 * Route tables depend on their service model only. Unchanged services keep their model object from one revision
 * to the next (`parseSnapshotReusing`), so they keep their compiled table too.
 */
const tables = new WeakMap<ServiceModel, CompiledRouteTable>();

export function compileConfig(snapshot: SnapshotModel): CompiledConfig {
  const services = new Map<string, CompiledService>();
  const problems: string[] = [];
  for (const [key, model] of Object.entries(snapshot.services)) {
    let table = tables.get(model);
    if (table === undefined) {
      table = compileRouteTable(model);
      tables.set(model, table);
    }
    problems.push(...table.problems.map((p) => `${key}: ${p}`));
    const subsets = new Map<string, EndpointSet>();
    for (const [name, selector] of Object.entries(model.subsets)) {
      subsets.set(name, endpointSet(filterEndpointsBySubset(model.endpoints, selector)));
    }
    services.set(key, {
      key,
      model,
      table,
      loadBalancer: model.policy.loadBalancer ?? { type: "RoundRobin" },
      all: endpointSet(model.endpoints),
      subsets,
      peerMode: effectivePeerMode(model.policy.security?.peerAuthentication, snapshot.mesh.defaultMtlsMode),
    });
  }
  return {
    revision: snapshot.revision,
    trustDomain: snapshot.mesh.trustDomain,
    services,
    problems,
    mesh: snapshot.mesh,
    meshResilience: meshResilienceOf(snapshot.mesh),
    setRequestIdInResponse: snapshot.mesh.requestId?.setInResponse !== false,
    generatedAt: snapshot.generatedAt,
    ...(snapshot.telemetry ? { telemetry: snapshot.telemetry } : {}),
  };
}

let lastMeshResilience: { text: string; model: MeshResilienceModel } | null = null;

function meshResilienceOf(mesh: SnapshotModel["mesh"]): MeshResilienceModel {
  // A snapshot compiled before MeshConfig carried resilience gets the documented defaults.
  const model = mesh.resilience ?? MeshResilienceModel.parse({ defaultTimeoutMs: mesh.defaultTimeoutMs });
  const text = JSON.stringify(model);
  if (lastMeshResilience?.text !== text) lastMeshResilience = { text, model };
  return lastMeshResilience.model;
}

function endpointSet(endpoints: EndpointModel[]): EndpointSet {
  return { endpoints, ids: endpoints.map((e) => e.id), roundRobin: createRoundRobinState() };
}

/** The endpoint set a backend names; null when the subset is not defined. */
export function endpointsFor(service: CompiledService, subset: string | undefined): EndpointSet | null {
  if (subset === undefined) return service.all;
  return service.subsets.get(subset) ?? null;
}
