// `flaremesh logs --follow`: live access logs. Starts a receiver on loopback, applies a temporary `http-json`
// TelemetrySink that points at it, prints entries as they arrive (filtered by service and status), and
// deletes the sink on Ctrl-C. With --no-sink only the receiver runs (point a sink at it yourself).

import { randomBytes } from "node:crypto";
import { Option } from "commander";
import { ApiError, UsageError } from "./errors.mjs";
import { formatEntry, serviceFilter, statusFilter } from "./log-format.mjs";
import { startLogReceiver } from "./log-receiver.mjs";

export function registerLogs(program, { clientOf, collect }) {
  program
    .command("logs")
    .description("stream live access logs through a temporary http-json TelemetrySink (Ctrl-C stops and cleans up)")
    .option("-f, --follow", "stream entries as they arrive (required: the mesh keeps no log history)")
    .option("-s, --service <name>", "only requests to this Service (name or namespace/name); repeatable", collect, [])
    .option("--status <codes>", "only these statuses: 404, 5xx, 4xx,5xx, !2xx")
    .option("--listen <host:port>", "where the receiver listens", "127.0.0.1:0")
    .option(
      "--public-url <url>",
      "the URL the proxies should post to, when they cannot reach --listen directly (a deployed mesh: a tunnel)",
    )
    .option("--no-sink", "do not create a TelemetrySink; only run the receiver and print its URL")
    .addOption(
      new Option("-o, --output <format>", "text or json (one entry per line)")
        .choices(["text", "json"])
        .default("text"),
    )
    .action(async (options, command) => {
      if (!options.follow) {
        throw new UsageError("logs needs --follow: the mesh ships access logs to sinks and keeps no history to show");
      }
      const matchService = serviceFilter(options.service);
      const matchStatus = statusFilter(options.status);
      const { host, port } = parseListen(options.listen);
      const receiver = await startLogReceiver({
        host,
        port,
        onEntry(entry) {
          if (!matchService(entry) || !matchStatus(entry.status)) return;
          process.stdout.write(`${options.output === "json" ? JSON.stringify(entry) : formatEntry(entry)}\n`);
        },
      });
      const endpoint = `${(options.publicUrl ?? receiver.url).replace(/\/+$/, "")}/v1/logs`;
      const client = options.sink ? clientOf(command) : undefined;
      const sink = client ? await createSink(client, endpoint, options.service) : undefined;
      process.stderr.write(
        sink
          ? `streaming access logs via TelemetrySink ${sink.namespace}/${sink.name} → ${endpoint} (Ctrl-C to stop)\n`
          : `receiver listening at ${endpoint}; apply an http-json TelemetrySink with this endpoint (Ctrl-C to stop)\n`,
      );
      await untilSignal();
      if (sink) {
        try {
          await client.request("DELETE", `/v1/resources/TelemetrySink/${sink.namespace}/${sink.name}`);
          process.stderr.write(`TelemetrySink ${sink.namespace}/${sink.name} deleted\n`);
        } catch (err) {
          process.stderr.write(
            `could not delete TelemetrySink ${sink.namespace}/${sink.name}: ${err instanceof Error ? err.message : String(err)}\n` +
              `delete it with: flaremesh delete telemetrysink ${sink.name} -n ${sink.namespace}\n`,
          );
        }
      }
      await receiver.close();
    });
}

function parseListen(value) {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m) throw new UsageError(`--listen must be host:port (e.g. 127.0.0.1:9411), not "${value}"`);
  return { host: m[1].replace(/^\[|\]$/g, ""), port: Number(m[2]) };
}

/**
 * The temporary sink: mesh-wide, or targeted at one Service of the default namespace when exactly one
 * `--service NAME` is given (fewer batches shipped). Small batches so entries show up quickly.
 */
async function createSink(client, endpoint, services) {
  const name = `flaremesh-logs-${randomBytes(4).toString("hex")}`;
  const namespace = "default";
  const only = services.length === 1 && !services[0].includes("/") ? services[0] : undefined;
  const sink = {
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "TelemetrySink",
    metadata: { name, namespace, labels: { "flaremesh.dev/temporary": "logs" } },
    spec: {
      type: "http-json",
      endpoint,
      batch: { maxEntries: 20, maxDelay: "250ms" },
      ...(only ? { targetRef: { kind: "Service", name: only } } : {}),
    },
  };
  try {
    await client.request("POST", "/v1/apply", { body: JSON.stringify(sink) });
  } catch (err) {
    if (err instanceof ApiError && err.code === "invalid_resource") {
      err.details.push({
        message:
          "a mesh outside local development refuses loopback sink endpoints: expose the receiver (e.g. a tunnel) and pass --public-url",
      });
    }
    throw err;
  }
  return { name, namespace };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal() {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
