// A minimal Chrome DevTools Protocol client for the workerd inspector (CPU and allocation profiles of an isolate).
/* global WebSocket */

/** Connects to the inspector target whose title or URL names `worker` (the first target otherwise). */
export async function inspectWorker(inspectorPort, worker) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => String(t.title ?? t.url).includes(worker)) ?? targets[0];
  return cdp(target.webSocketDebuggerUrl);
}

async function cdp(url) {
  // Miniflare's inspector proxy refuses a connection without an allowed Origin.
  const ws = new WebSocket(url, { headers: { origin: "http://localhost" } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let closing = false;
  ws.onclose = (event) => {
    if (!closing) console.error(`inspector connection closed: ${event.code} ${event.reason}`);
  };
  let id = 0;
  const pending = new Map();
  ws.onmessage = (event) => {
    const msg = JSON.parse(String(event.data));
    if (msg.id !== undefined && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  };
  return {
    /** Sends a command; resolves with the whole answer (`result` or `error`). */
    send(method, params = {}) {
      const msgId = ++id;
      ws.send(JSON.stringify({ id: msgId, method, params }));
      return new Promise((resolve) => pending.set(msgId, resolve));
    },
    close: () => {
      closing = true;
      ws.close();
    },
  };
}
