// Runs beside the proxy in the proxy's workerd: stands in for its CONTROL (ProxyApi) and TELEMETRY_QUEUE bindings
/* global Response */
// and carries each call over loopback HTTP to bridge-server.mjs in the control plane's workerd. The benchmark runs
// the proxy in a workerd of its own so that the proxy's CPU and memory are measured apart from the control plane's.
// Every call the proxy makes to the control plane (the only way it reaches a Durable Object) is counted here.
import { WorkerEntrypoint } from "cloudflare:workers";

const counts = { getSnapshot: 0, getJwks: 0, reportMetrics: 0, queueSend: 0 };
let snapshotBytes = 0;
/** Answers that carried the whole snapshot, and those that carried a delta (only the changed services). */
const answers = { whole: 0, delta: 0, lastDeltaBytes: 0 };

async function call(env, method, arg) {
  counts[method]++;
  const res = await fetch(`${env.BRIDGE_URL}/bridge/${method}`, { method: "POST", body: JSON.stringify(arg ?? null) });
  if (!res.ok) throw new Error(`bridge ${method}: ${res.status} ${await res.text()}`);
  return res.json();
}

export class ProxyApi extends WorkerEntrypoint {
  async getSnapshot(request) {
    const answer = await call(this.env, "getSnapshot", request);
    if (typeof answer.snapshot === "string") {
      snapshotBytes = answer.snapshot.length;
      answers.whole++;
    }
    if (answer.delta !== undefined) {
      answers.delta++;
      answers.lastDeltaBytes = JSON.stringify(answer.delta).length;
    }
    return answer;
  }
  getJwks() {
    return call(this.env, "getJwks");
  }
  reportMetrics(delta) {
    return call(this.env, "reportMetrics", delta);
  }
}

export class TelemetryQueue extends WorkerEntrypoint {
  /** The message text goes as the request body as it is (not JSON inside JSON), as a queue producer would send it. */
  async send(body, options) {
    counts.queueSend++;
    const res = await fetch(`${this.env.BRIDGE_URL}/bridge/queueSend`, {
      method: "POST",
      headers: { "x-content-type": options?.contentType ?? "json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`bridge queueSend: ${res.status} ${await res.text()}`);
    await res.body?.cancel();
  }
}

export default {
  fetch() {
    return Response.json({ counts, snapshotBytes, answers });
  },
};
