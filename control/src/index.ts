// The control Worker: the admin API (fetch), the ProxyApi RPC entrypoint and the ControlPlane Durable Object.
import type { ControlEnv } from "./env";
import { createRouter } from "./http/router";

export { ControlPlane } from "./durable/control-plane";
export { ProxyApi } from "./proxy-api/proxy-api";
export { HealthChecker } from "./health/health-checker";
export { RateLimitShard } from "./rate-limit/rate-limit-shard";
export { MetricsShard } from "./telemetry/metrics-shard";

const router = createRouter();

export default {
  fetch(request: Request, env: ControlEnv, ctx: ExecutionContext): Promise<Response> {
    return router.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<ControlEnv>;
