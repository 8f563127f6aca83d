// Fault injection (Istio `fault`, TrafficPolicy `fault`): decided once per request, before any try. A delay
// (flag DI) runs before the request timeout starts; an abort (flag FI) answers the configured status with
// code `fault_injected` and is never retried.
import { MeshError } from "../../../../shared/errors";
import { decideFault } from "../../../../shared/resilience/index";
import type { ProxyContext, StageFactory } from "../context";
import { routePolicy } from "./route-policy";
import { addFlag, sleep } from "./request-state";

export const fault: StageFactory = (config) =>
  async function fault(ctx: ProxyContext, next) {
    const spec = routePolicy(config, ctx.destination, ctx.match!.route).fault;
    if (spec === undefined) return next();
    const decision = decideFault(spec, () => ctx.random());
    if (decision.delayMs !== undefined) {
      addFlag(ctx, "DI");
      await sleep(decision.delayMs);
    }
    if (decision.abortStatus !== undefined) {
      addFlag(ctx, "FI");
      throw new MeshError("fault_injected", `fault injected by route ${ctx.match!.route.id}`, {
        status: decision.abortStatus,
      });
    }
    return next();
  };
