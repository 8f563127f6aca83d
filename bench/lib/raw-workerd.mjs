// Runs Workers in workerd directly, from a generated workerd config, without Miniflare's shims: no entry Worker in
// front of the Worker and no outbound Worker behind its `fetch` (Miniflare 5 sends every subrequest through one,
// which copies the request's headers in JavaScript). This is how the runtime runs a Worker in production; the
// benchmark's `--raw` mode measures the floor and flaremesh this way, beside the usual Miniflare runs.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.mjs";

const require = createRequire(import.meta.url);

/** The workerd binary Miniflare runs (the `workerd` package's). */
const workerdBinary = () => require("workerd").default;

const listening = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

const q = (s) => JSON.stringify(String(s));

/** A binding in workerd config text: `{text}`, `{json}`, `{durableObject: className}` or `{service, entrypoint?}`. */
function binding(name, b) {
  if (b.text !== undefined) return `(name = ${q(name)}, text = ${q(b.text)})`;
  if (b.json !== undefined) return `(name = ${q(name)}, json = ${q(JSON.stringify(b.json))})`;
  if (b.durableObject !== undefined)
    return `(name = ${q(name)}, durableObjectNamespace = (className = ${q(b.durableObject)}))`;
  const entry = b.entrypoint ? `, entrypoint = ${q(b.entrypoint)}` : "";
  return `(name = ${q(name)}, service = (name = ${q(b.service)}${entry}))`;
}

/**
 * Starts workerd serving `workers[0]` on a loopback port. Each worker: `{name, modulePath, bindings}` with
 * `bindings` a map of name → `{text}` | `{json}` | `{durableObject}` | `{service, entrypoint?}`; the classes of its
 * `{durableObject}` bindings get SQLite-backed namespaces on disk in a temporary folder. Subrequests go straight
 * to the network (loopback allowed, as in local development). `inspectorPort`: the DevTools inspector's port.
 */
export async function startRawWorkerd(workers, { compatibilityDate, inspectorPort }) {
  const dir = mkdtempSync(join(tmpdir(), "flaremesh-raw-"));
  // workerd embeds files from the config's own folder only.
  workers.forEach((w, i) => copyFileSync(w.modulePath, join(dir, `worker${i}.mjs`)));
  const services = workers.map((w, i) => {
    const bindings = Object.entries(w.bindings ?? {});
    const classes = bindings.filter(([, b]) => b.durableObject !== undefined).map(([, b]) => b.durableObject);
    const objects =
      classes.length === 0
        ? ""
        : `durableObjectNamespaces = [${classes
            .map((c) => `(className = ${q(c)}, uniqueKey = ${q(`${w.name}-${c}`)}, enableSql = true)`)
            .join(", ")}], durableObjectStorage = (localDisk = "disk"), `;
    return (
      `(name = ${q(w.name)}, worker = (modules = [(name = "index.mjs", esModule = embed "worker${i}.mjs")], ` +
      `compatibilityDate = ${q(compatibilityDate)}, bindings = [${bindings.map(([n, b]) => binding(n, b)).join(", ")}], ` +
      `${objects}globalOutbound = "internet"))`
    );
  });
  mkdirSync(join(dir, "objects"));
  services.push(`(name = "disk", disk = (path = ${q(join(dir, "objects"))}, writable = true))`);
  services.push(`(name = "internet", network = (allow = ["public", "private", "local"]))`);
  const configText = (port) =>
    `using Workerd = import "/workerd/workerd.capnp";\n` +
    `const config :Workerd.Config = (services = [${services.join(",\n")}],\n` +
    // E.g. FLAREMESH_BENCH_V8_FLAGS=--trace-gc to see each collection's pause.
    (process.env.FLAREMESH_BENCH_V8_FLAGS
      ? `v8Flags = [${process.env.FLAREMESH_BENCH_V8_FLAGS.split(" ").map(q).join(", ")}],\n`
      : "") +
    `sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = ${q(workers[0].name)})]);\n`;

  // A free port can be taken between our probe and workerd's bind: then workerd exits, and we try another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configPath = join(dir, "config.capnp");
    writeFileSync(configPath, configText(port));
    const args = ["serve", configPath];
    if (inspectorPort !== undefined) args.push(`--inspector-addr=127.0.0.1:${inspectorPort}`);
    const child = spawn(workerdBinary(), args, { stdio: ["ignore", "inherit", "inherit"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // Never outlive the benchmark, even when it fails.
    const kill = () => child.kill("SIGKILL");
    process.once("exit", kill);
    const end = async () => {
      process.off("exit", kill);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    };
    const stop = async () => {
      await end();
      rmSync(dir, { recursive: true, force: true });
    };
    const deadline = Date.now() + 15_000;
    let up = false;
    while (child.exitCode === null && Date.now() < deadline) {
      // Listening, and still ours: workerd alive after the port answers.
      if ((await listening(port)) && child.exitCode === null) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (up) return { pid: child.pid, port, stop };
    const died = child.exitCode !== null;
    if (died && attempt < 3) {
      await end();
      continue;
    }
    await stop();
    throw new Error(
      `workerd did not start serving ${workers[0].name} (port ${port}, ${died ? "exited" : "timed out"})`,
    );
  }
}
