// The floor of a header-editing proxy: the runtime calls any mesh proxy makes, with flaremesh's header edits and no
// logic — the inbound headers read once, a copy sent upstream with the identity token removed and ten headers set
// (x-forwarded-*, x-request-id, W3C and B3 trace context, the caller's principal), the response re-wrapped to set
// x-request-id and the matched route's header. What flaremesh costs over this is its own work (routing, identity,
// authorization, resilience, telemetry); what this costs over the plain floor, any proxy with these edits pays.
/* global crypto, Headers, Response */
const PRINCIPAL = "cluster.local/ns/default/sa/bench-client";

export default {
  async fetch(request, env) {
    // The request URL cut as the floor cuts it (flaremesh reads the same parts without a runtime URL object).
    const href = request.url;
    const hostStart = href.indexOf("//") + 2;
    const pathStart = href.indexOf("/", hostStart);
    const inbound = new Map();
    request.headers.forEach((value, name) => inbound.set(name, value));
    const requestId = crypto.randomUUID();
    const traceId = requestId.replaceAll("-", "");
    const spanId = traceId.slice(0, 16);
    const headers = new Headers(request.headers);
    headers.delete("x-mesh-identity");
    headers.set("x-forwarded-for", inbound.get("cf-connecting-ip") ?? "127.0.0.1");
    headers.set("x-forwarded-proto", href.slice(0, hostStart - 3));
    headers.set("x-forwarded-host", href.slice(hostStart, pathStart));
    headers.set("x-request-id", requestId);
    headers.set("traceparent", `00-${traceId}-${spanId}-01`);
    headers.set("b3", `${traceId}-${spanId}-1`);
    headers.set("x-b3-traceid", traceId);
    headers.set("x-b3-spanid", spanId);
    headers.set("x-b3-sampled", "1");
    headers.set("x-mesh-principal", PRINCIPAL);
    const res = await fetch(`${env.UPSTREAM}${href.slice(pathStart)}`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
    });
    const answer = new Response(res.body, res);
    answer.headers.set("x-request-id", requestId);
    answer.headers.set("x-bench-route", "r151");
    return answer;
  },
};
