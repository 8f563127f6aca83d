// Runs beside the control plane in its workerd: the far end of bridge-client.mjs. Turns each bridged call back
/* global Response */
// into the real ProxyApi RPC or a send on the real telemetry queue (consumed by flaremesh-telemetry).
/** RPC results must be disposed explicitly (workerd warns otherwise); their data is copied into the response first. */
function reply(result) {
  const res = Response.json(result);
  result?.[Symbol.dispose]?.();
  return res;
}

export default {
  async fetch(request, env) {
    const method = new URL(request.url).pathname.replace("/bridge/", "");
    if (method === "queueSend") {
      const contentType = request.headers.get("x-content-type");
      const text = await request.text();
      await env.TELEMETRY_QUEUE.send(contentType === "text" ? text : JSON.parse(text), { contentType });
      return new Response(null, { status: 204 });
    }
    const arg = await request.json();
    switch (method) {
      case "getSnapshot":
        return reply(await env.CONTROL.getSnapshot(arg));
      case "getJwks":
        return reply(await env.CONTROL.getJwks());
      case "reportMetrics":
        return reply(await env.CONTROL.reportMetrics(arg));
      default:
        return new Response(`unknown bridge method ${method}`, { status: 404 });
    }
  },
};
