// The dashboard's static page: vanilla JS that polls the API (topology, status, resources, revisions) with a token.

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flaremesh dashboard</title>
<style>
:root{--fg:#1d2330;--muted:#667085;--line:#d0d5dd;--ok:#12805c;--bad:#c4320a;--bg:#f8f9fb;--node:#fff}
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header{display:flex;gap:1rem;align-items:center;padding:.75rem 1.25rem;background:#101828;color:#fff}
header h1{font-size:1.1rem;margin:0}
header .meta{margin-left:auto;color:#d0d5dd;font-size:.85rem}
main{padding:1rem 1.25rem;display:grid;gap:1rem;grid-template-columns:minmax(0,2fr) minmax(0,1fr)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;min-width:0}
section h2{font-size:.95rem;margin:0 0 .5rem}
#graph-section{grid-column:1 / -1}
#graph{width:100%;min-height:320px;overflow:auto}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eaecf0;white-space:nowrap}
th{color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:var(--bad)} .ok{color:var(--ok)} .muted{color:var(--muted)}
form#login{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:1rem 1.25rem}
form#login input{padding:.35rem .5rem;min-width:22rem}
#error{color:var(--bad);margin:0 1.25rem}
svg text{font:12px system-ui,sans-serif}
svg .node rect{fill:var(--node);stroke:#475467;stroke-width:1.2}
svg .node.kind-unknown rect,svg .node.kind-workload rect{stroke-dasharray:4 3}
svg .edge path{fill:none;stroke:#98a2b3;stroke-width:1.6}
svg .edge.errors path{stroke:var(--bad)}
svg .edge text{fill:#344054;font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
#revisions td:last-child{white-space:normal}
</style>
</head>
<body>
<header><h1>flaremesh dashboard</h1><span class="meta" id="meta">not connected</span></header>
<form id="login">
  <label>Admin or viewer token <input id="token" type="password" autocomplete="off" required></label>
  <button id="connect">Connect</button>
  <button type="button" id="use-dev" hidden>Use the development token</button>
</form>
<p id="error" role="alert"></p>
<main id="app" hidden>
  <section id="graph-section"><h2>Service graph <span class="muted" id="window"></span></h2><div id="graph"></div></section>
  <section><h2>Golden metrics per service</h2><table id="golden"><thead><tr><th>service</th><th>req/s</th><th>errors</th><th>p50 ms</th><th>p99 ms</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Proxies</h2><table id="proxies"><thead><tr><th>proxy</th><th>revision</th><th>last seen</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Applied resources</h2><table id="resources"><thead><tr><th>kind</th><th>namespace</th><th>name</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Revision history</h2><table id="revisions"><thead><tr><th>revision</th><th>time</th><th>actor</th><th>summary</th></tr></thead><tbody></tbody></table></section>
</main>
<script>
"use strict";
const DEV_TOKEN = __DEV_TOKEN__;
const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
const input = $("token");
let token = sessionStorage.getItem("flaremesh-token") || "";
let timer = null;

if (DEV_TOKEN) {
  $("use-dev").hidden = false;
  $("use-dev").addEventListener("click", () => { input.value = DEV_TOKEN; connect(); });
  if (!token) token = DEV_TOKEN;
}
input.value = token;
$("login").addEventListener("submit", (event) => { event.preventDefault(); connect(); });
if (token) connect();

function connect() {
  token = input.value.trim();
  sessionStorage.setItem("flaremesh-token", token);
  if (timer) clearTimeout(timer);
  poll();
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: "Bearer " + token }, cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error((body && body.error && body.error.message) || res.status + " " + res.statusText);
  return body;
}

async function poll() {
  try {
    const [topology, status, resources, revisions] = await Promise.all([
      api("/v1/topology?window=60"), api("/v1/status"), api("/v1/resources"), api("/v1/revisions"),
    ]);
    $("error").textContent = "";
    $("app").hidden = false;
    render(topology, status, resources, revisions);
  } catch (err) {
    $("error").textContent = "Cannot load the dashboard: " + err.message;
  }
  timer = setTimeout(poll, POLL_MS);
}

function el(tag, attrs, text) {
  const svg = ["svg", "g", "rect", "path", "text", "marker", "defs", "title"].includes(tag);
  const node = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
const fmt = (v, digits) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));
const pct = (v) => (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1) + "%";

function rows(tableId, items, cells) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...items.map((item) => {
    const tr = el("tr");
    for (const [text, cls] of cells(item)) tr.append(el("td", cls ? { class: cls } : {}, String(text)));
    return tr;
  }));
}

function render(topology, status, resources, revisions) {
  $("meta").textContent = "revision " + status.revision + " · " + status.proxies.length + " proxies · updated " + new Date().toLocaleTimeString();
  $("window").textContent = "(last " + topology.windowSeconds + " s)";
  drawGraph(topology);
  rows("golden", golden(topology), (g) => [
    [g.id], [fmt(g.rps, 2), "num"], [pct(g.errorRate), "num " + (g.errors > 0 ? "bad" : "ok")], [fmt(g.p50, 1), "num"], [fmt(g.p99, 1), "num"],
  ]);
  rows("proxies", status.proxies, (p) => [[p.id.slice(0, 8) + " (" + p.worker + ")"], [p.revision === null ? "–" : p.revision, p.upToDate ? "num ok" : "num bad"], [p.lastSeen]]);
  rows("resources", resources.items, (r) => [[r.kind], [r.metadata.namespace], [r.metadata.name]]);
  rows("revisions", revisions.items.slice(-15).reverse(), (r) => [[r.revision, "num"], [r.time], [r.actor], [r.summary]]);
}

/** Per destination service: its incoming edges summed (latencies: the slowest caller's). */
function golden(topology) {
  const by = new Map();
  for (const e of topology.edges) {
    const g = by.get(e.destination) || { id: e.destination, requests: 0, errors: 0, p50: null, p99: null };
    g.requests += e.requests; g.errors += e.errors;
    if (e.p50Ms !== null) g.p50 = Math.max(g.p50 ?? 0, e.p50Ms);
    if (e.p99Ms !== null) g.p99 = Math.max(g.p99 ?? 0, e.p99Ms);
    by.set(e.destination, g);
  }
  for (const n of topology.nodes) if (n.kind === "service" && !by.has(n.id)) by.set(n.id, { id: n.id, requests: 0, errors: 0, p50: null, p99: null });
  return [...by.values()].sort((a, b) => a.id.localeCompare(b.id)).map((g) => ({
    ...g, rps: g.requests / topology.windowSeconds, errorRate: g.requests ? g.errors / g.requests : 0,
  }));
}

/** Layered layout: callers left of callees (longest path from a node without callers). */
function layout(topology) {
  const layer = new Map(topology.nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < topology.nodes.length; i++) {
    let changed = false;
    for (const e of topology.edges) {
      if (e.source === e.destination) continue;
      const next = (layer.get(e.source) ?? 0) + 1;
      if (next > (layer.get(e.destination) ?? 0) && next < topology.nodes.length) { layer.set(e.destination, next); changed = true; }
    }
    if (!changed) break;
  }
  const columns = new Map();
  for (const n of topology.nodes) {
    const l = layer.get(n.id) ?? 0;
    if (!columns.has(l)) columns.set(l, []);
    columns.get(l).push(n);
  }
  const pos = new Map();
  const W = 160, H = 34, GAP_X = 300, GAP_Y = 90;
  let maxRows = 1;
  for (const [l, nodes] of columns) {
    nodes.sort((a, b) => a.id.localeCompare(b.id));
    nodes.forEach((n, i) => pos.set(n.id, { x: 20 + l * GAP_X, y: 20 + i * GAP_Y, w: W, h: H }));
    maxRows = Math.max(maxRows, nodes.length);
  }
  return { pos, width: 40 + Math.max(1, columns.size) * GAP_X, height: 40 + maxRows * GAP_Y };
}

function drawGraph(topology) {
  const { pos, width, height } = layout(topology);
  const svg = el("svg", { width, height, viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "service graph" });
  const defs = el("defs");
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
  marker.append(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#98a2b3" }));
  defs.append(marker);
  svg.append(defs);
  for (const e of topology.edges) {
    const a = pos.get(e.source), b = pos.get(e.destination);
    if (!a || !b) continue;
    const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    const mx = (x1 + x2) / 2;
    const g = el("g", { class: "edge" + (e.errors > 0 ? " errors" : ""), "data-source": e.source, "data-destination": e.destination });
    const d = e.source === e.destination
      ? "M " + (a.x + a.w - 20) + " " + a.y + " C " + (a.x + a.w) + " " + (a.y - 40) + " " + (a.x + a.w + 30) + " " + (a.y + 10) + " " + (a.x + a.w) + " " + (a.y + a.h / 2)
      : "M " + x1 + " " + y1 + " C " + mx + " " + y1 + " " + mx + " " + y2 + " " + x2 + " " + y2;
    g.append(el("path", { d, "marker-end": "url(#arrow)" }));
    const rps = e.requestsPerSecond ?? e.requests / topology.windowSeconds;
    const label = fmt(rps, 2) + " rps · " + pct(e.errorRate ?? (e.requests ? e.errors / e.requests : 0)) + " err";
    const lat = "p50 " + fmt(e.p50Ms, 1) + " · p99 " + fmt(e.p99Ms, 1) + " ms";
    g.append(el("text", { x: mx, y: (y1 + y2) / 2 - 6, "text-anchor": "middle" }, label));
    g.append(el("text", { x: mx, y: (y1 + y2) / 2 + 8, "text-anchor": "middle" }, lat));
    g.append(el("title", {}, e.source + " → " + e.destination + ": " + e.requests + " requests, " + e.errors + " errors"));
    svg.append(g);
  }
  for (const n of topology.nodes) {
    const p = pos.get(n.id);
    const g = el("g", { class: "node kind-" + n.kind, "data-id": n.id, transform: "translate(" + p.x + "," + p.y + ")" });
    g.append(el("rect", { width: p.w, height: p.h, rx: "6" }));
    g.append(el("text", { x: p.w / 2, y: p.h / 2 + 4, "text-anchor": "middle" }, n.id === "unknown" ? "(outside the mesh)" : n.id));
    svg.append(g);
  }
  if (topology.nodes.length === 0) svg.append(el("text", { x: 20, y: 40 }, "No traffic yet: send some requests through the mesh."));
  $("graph").replaceChildren(svg);
}
</script>
</body>
</html>
`;

/**
 * The page. It asks for a token (kept in sessionStorage); with `devToken` (local mesh only) it offers the
 * development token. Everything else comes from the authenticated API, polled every two seconds.
 */
export function dashboardHtml(options: { devToken?: string } = {}): string {
  const dev = options.devToken === undefined ? "null" : JSON.stringify(options.devToken).replace(/</g, "\\u003c");
  return PAGE.replace("__DEV_TOKEN__", dev);
}

/** Without a development token: what `GET /dashboard` serves in production. */
export const DASHBOARD_HTML = dashboardHtml();
