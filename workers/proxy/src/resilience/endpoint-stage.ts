// Endpoint: picks the endpoint of the chosen backend for this try — by the load-balancer policy, among those
// not ejected by outlier detection, not failing active health checks, and not already tried (when others remain).
import { MeshError } from "../../../../shared/errors";
import {
  abandonProbe,
  availableEndpoints,
  INVOCATION_BUDGET_HEADER,
  retryCandidates,
} from "../../../../shared/resilience/index";
import type { EndpointModel } from "../../../../shared/model/snapshot";
import type { ProxyContext, StageFactory } from "../context";
import { pickEndpoint } from "../endpoint/pick";
import { destinationFor, NO_OUTLIER_DETECTION } from "./destinations";
import { addFlag, resilienceOf } from "./request-state";
import { unhealthyEndpoints } from "./shared-health";

export const endpoint: StageFactory = (config) =>
  async function endpoint(ctx: ProxyContext, next) {
    const choice = ctx.backend!;
    const dest = destinationFor(config, choice);
    const state = resilienceOf(ctx);
    const ids = choice.set.ids;
    const cfg = dest.outlierConfig ?? NO_OUTLIER_DETECTION;
    const available = availableEndpoints(dest.outlier, ids, Date.now(), cfg, unhealthyEndpoints(dest.serviceKey));
    let chosen: EndpointModel | null = null;
    if (available.probe !== null) {
      if (!state.tried.has(available.probe)) chosen = choice.set.endpoints.find((e) => e.id === available.probe)!;
      else abandonProbe(dest.outlier, available.probe);
    }
    if (chosen === null) {
      // Every endpoint available and none tried yet (a first try, mostly): no filter to build.
      const allowed =
        state.tried.size === 0 && available.ids.length === ids.length
          ? null
          : new Set(retryCandidates(available.ids, state.tried));
      chosen = pickEndpoint(choice.set, choice.service.loadBalancer, ctx, {
        usable: allowed === null || allowed.size === ids.length ? undefined : (e) => allowed.has(e.id),
        inflight: (id) => dest.inflight.get(id) ?? 0,
      });
    }
    if (chosen === null) {
      addFlag(ctx, "UH");
      throw new MeshError("no_healthy_upstream", `${choice.label} has no endpoints`);
    }
    ctx.target = { backend: choice.backend, service: choice.service, endpoint: chosen };
    // The invocation budget concerns Worker endpoints only; an origin has no use for it.
    if (chosen.worker === undefined) ctx.headers.delete(INVOCATION_BUDGET_HEADER);
    ctx.upstreamEndpoint = chosen.id;
    state.tried.add(chosen.id);
    const id = chosen.id;
    dest.inflight.set(id, (dest.inflight.get(id) ?? 0) + 1);
    try {
      return await next();
    } finally {
      const n = (dest.inflight.get(id) ?? 1) - 1;
      if (n <= 0) dest.inflight.delete(id);
      else dest.inflight.set(id, n);
    }
  };
