// Real backends for the observability tests: Prometheus and syslog-ng started on loopback, and strict HTTP receivers.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/processes";

/** The path of a system binary, or null when it is not installed (the test then skips, saying so). */
export function binary(candidates: string[]): string | null {
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const PROMETHEUS = binary(["/usr/bin/prometheus", "/usr/local/bin/prometheus"]);
export const SYSLOG_NG = binary(["/usr/sbin/syslog-ng", "/usr/bin/syslog-ng"]);
export const CHROMIUM = binary(["/usr/bin/chromium", "/usr/bin/chromium-browser"]);

export function missing(name: string, pkg: string): string {
  return `SKIPPED: ${name} is not installed (Debian package ${pkg}; .ci/run installs it)`;
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export interface Daemon {
  port: number;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): { output: () => string; stop: () => Promise<void> } {
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Prometheus on 127.0.0.1 scraping `target` (host:port) every second with the admin bearer token. */
export async function startPrometheus(target: string, token: string): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), "flaremesh-prometheus-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "prometheus.yml"),
    [
      "global: {scrape_interval: 1s, evaluation_interval: 1s}",
      "scrape_configs:",
      "  - job_name: flaremesh",
      "    metrics_path: /metrics",
      "    authorization: {type: Bearer, credentials_file: " + JSON.stringify(join(dir, "token")) + "}",
      `    static_configs: [{targets: [${JSON.stringify(target)}]}]`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "token"), token);
  const child = spawn(
    PROMETHEUS!,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const t = track(child);
  await waitFor("prometheus to be ready", async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok, 30_000);
  return { port, dir, ...t };
}

/** Instant PromQL query; the single result's value, or null for an empty result. */
export async function promQuery(port: number, query: string): Promise<number | null> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`query failed: ${JSON.stringify(body)}`);
  const first = body.data.result[0];
  return first === undefined ? null : Number(first.value[1]);
}

/** syslog-ng in the foreground with only our config: RFC 5424 over TCP on loopback, to a file. */
export async function startSyslogNg(): Promise<Daemon & { file: string }> {
  const dir = mkdtempSync(join(tmpdir(), "flaremesh-syslog-ng-"));
  const port = await freePort();
  const file = join(dir, "messages.log");
  writeFileSync(
    join(dir, "syslog-ng.conf"),
    [
      "@version: 3.38",
      "options { keep-hostname(yes); };",
      `source s_mesh { syslog(ip("127.0.0.1") port(${port}) transport("tcp")); };`,
      `destination d_file { file("${file}" template("$ISODATE $HOST $PROGRAM $MSGID $MSG\\n")); };`,
      "log { source(s_mesh); destination(d_file); flags(flow-control); };",
      "",
    ].join("\n"),
  );
  const child = spawn(
    SYSLOG_NG!,
    [
      "-F",
      "--no-caps",
      "-f",
      join(dir, "syslog-ng.conf"),
      "--persist-file",
      join(dir, "syslog-ng.persist"),
      "--pidfile",
      join(dir, "syslog-ng.pid"),
      "--control",
      join(dir, "syslog-ng.ctl"),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const t = track(child);
  await waitFor(
    "syslog-ng to listen",
    () =>
      new Promise<boolean>((resolve) => {
        const socket = new net.Socket();
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
        socket.connect(port, "127.0.0.1");
      }),
    15_000,
  );
  return { port, dir, file, ...t };
}

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  port: number;
  url: string;
  received: Received[];
  /** Paths under `/slow` answer after `slowMs`; `/reject` answers 400; anything else 200 (Loki 204). */
  slowMs: number;
  stop(): Promise<void>;
}

/** One HTTP server standing in for Loki, an OTLP collector, Zipkin and an HTTP log intake. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const state = { slowMs: 5_000 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const answer = () => {
        if (path.startsWith("/reject")) {
          res.writeHead(400, { "content-type": "text/plain" }).end("rejected");
        } else if (path.includes("/loki/")) res.writeHead(204).end();
        else res.writeHead(200, { "content-type": "application/json" }).end("{}");
      };
      if (path.startsWith("/slow")) setTimeout(answer, state.slowMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(ms: number) {
      state.slowMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
