// Balance: split between the route's backends by weight, once per request. Each upstream try then picks an
// endpoint of the chosen backend (resilience/endpoint-stage.ts), so that retries stay on one destination.
import { MeshError } from "../../../../shared/errors";
import { applyHeaderMutation } from "../../../../shared/routing/header-mutation";
import { chooseWeighted } from "../../../../shared/routing/weighted";
import { endpointsFor } from "../config/compiled";
import type { ProxyContext, StageFactory } from "../context";
import { editableResponse } from "../http/editable-response";

export const balance: StageFactory = (config) =>
  function balance(ctx: ProxyContext, next) {
    const route = ctx.match!.route;
    const index = chooseWeighted(route.backends, ctx.random());
    // Gateway API: a rule whose backends all have weight 0 (or that has none) answers 500.
    if (index === null) {
      const why = route.backends.length === 0 ? "has no backends" : "gives every backend weight 0";
      throw new MeshError("misconfigured", `route ${route.id} ${why}`);
    }
    const backend = route.backends[index]!;
    const service = config.services.get(backend.service);
    if (service === undefined) {
      throw new MeshError(
        "misconfigured",
        `route ${route.id} sends to ${backend.service}, which is not a known service`,
      );
    }
    const set = endpointsFor(service, backend.subset);
    const what = backend.subset === undefined ? service.key : `subset ${backend.subset} of ${service.key}`;
    if (set === null) throw new MeshError("no_healthy_upstream", `${what} is not defined by any DestinationRule`);
    ctx.backend = { backend, service, set, label: what };
    applyHeaderMutation(ctx.headers, backend.requestHeaders);
    const mutation = backend.responseHeaders;
    // Nothing to do on the way back (most backends): no continuation to wait in.
    if (mutation === undefined) return next();
    return next().then((res) => {
      if (res.status === 101) return res;
      const answer = editableResponse(ctx, res);
      applyHeaderMutation(answer.headers, mutation);
      return answer;
    });
  };
