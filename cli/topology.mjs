// `flaremesh topology`: the service graph from live traffic (GET /v1/topology) as a text tree with rates,
// error ratios and latencies.

import { Option } from "commander";
import { ApiError, UsageError } from "./errors.mjs";
import { formatTable, paint, printStructured } from "./output.mjs";

export function registerTopology(program, { clientOf }) {
  program
    .command("topology")
    .description("show the service graph seen in live traffic: who calls whom, requests, errors, p50/p99 latency")
    .addOption(
      new Option("-o, --output <format>", "tree, table, json or yaml")
        .choices(["tree", "table", "json", "yaml"])
        .default("tree"),
    )
    .option("--window <seconds>", "how much recent traffic the edges cover (1–600 s; the server's default: 60)")
    .action(async (options, command) => {
      if (options.window !== undefined && !/^\d+$/.test(options.window)) {
        throw new UsageError(`--window must be a number of seconds, not "${options.window}"`);
      }
      let topology;
      try {
        const query = options.window !== undefined ? `?window=${options.window}` : "";
        topology = await clientOf(command).request("GET", `/v1/topology${query}`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          throw new ApiError(
            404,
            err.code,
            "this control plane does not serve GET /v1/topology (it needs a version with telemetry)",
            err.details,
          );
        }
        throw err;
      }
      if (options.output === "json" || options.output === "yaml") return printStructured(options.output, topology);
      const edges = Array.isArray(topology?.edges) ? topology.edges : [];
      const nodes = Array.isArray(topology?.nodes) ? topology.nodes : [];
      if (edges.length === 0 && nodes.length === 0) {
        process.stdout.write("No traffic seen yet.\n");
        return;
      }
      process.stdout.write(options.output === "table" ? topologyTable(edges) : topologyTree(nodes, edges));
    });
}

function stats(edge) {
  const errors = Number(edge.errors ?? 0);
  const requests = Number(edge.requests ?? 0);
  const ratio = requests > 0 ? (100 * errors) / requests : 0;
  const ms = (v) => (v === null || v === undefined ? "-" : `${Math.round(Number(v) * 10) / 10}ms`);
  const errorText = `${errors} err (${ratio.toFixed(1)}%)`;
  return {
    requests: String(requests),
    errors: errors > 0 ? paint(ratio >= 5 ? "red" : "yellow", errorText) : errorText,
    p50: ms(edge.p50Ms),
    p99: ms(edge.p99Ms),
    rate: typeof edge.requestsPerSecond === "number" ? `${edge.requestsPerSecond.toFixed(2)}/s` : "",
  };
}

/** One row per edge, busiest first. */
export function topologyTable(edges) {
  const rows = [...edges]
    .sort((a, b) => Number(b.requests ?? 0) - Number(a.requests ?? 0))
    .map((e) => {
      const s = stats(e);
      return [e.source, e.destination, s.requests, s.rate, s.errors, s.p50, s.p99];
    });
  return formatTable(["SOURCE", "DESTINATION", "REQUESTS", "RATE", "ERRORS", "P50", "P99"], rows);
}

/**
 * A tree from the callers nobody calls (the entry points), each call as `└─▶ dest  N req, errors, p50, p99`.
 * A node already printed is marked `(see above)` instead of repeated, so cycles end.
 */
export function topologyTree(nodes, edges) {
  const out = [];
  const children = new Map();
  for (const e of edges) children.set(e.source, [...(children.get(e.source) ?? []), e]);
  for (const list of children.values()) list.sort((a, b) => String(a.destination).localeCompare(String(b.destination)));
  const ids = new Set([...nodes.map((n) => n.id), ...edges.flatMap((e) => [e.source, e.destination])]);
  const called = new Set(edges.map((e) => e.destination));
  // Entry points first; then whatever only cycles reach.
  const roots = [
    ...[...ids].filter((id) => !called.has(id) && children.has(id)).sort(),
    ...[...children.keys()].sort(),
  ];
  const printed = new Set();
  const walk = (id, prefix) => {
    const list = children.get(id) ?? [];
    list.forEach((edge, i) => {
      const last = i === list.length - 1;
      const s = stats(edge);
      const seen = printed.has(edge.destination) && children.has(edge.destination);
      out.push(
        `${prefix}${last ? "└─▶ " : "├─▶ "}${edge.destination}   ${s.requests} req${s.rate ? ` ${s.rate}` : ""}, ${s.errors}, p50 ${s.p50}, p99 ${s.p99}${seen ? " (see above)" : ""}`,
      );
      if (seen) return;
      printed.add(edge.destination);
      walk(edge.destination, `${prefix}${last ? "    " : "│   "}`);
    });
  };
  for (const root of roots) {
    if (printed.has(root)) continue;
    printed.add(root);
    out.push(paint("bold", root));
    walk(root, "");
  }
  const idle = [...ids].filter((id) => !printed.has(id)).sort();
  if (idle.length > 0) out.push("", `No traffic: ${idle.join(", ")}`);
  return `${out.join("\n")}\n`;
}
