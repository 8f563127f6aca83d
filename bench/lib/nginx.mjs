// nginx as a reverse proxy to the benchmark's upstream, for context: one worker process on 127.0.0.1, keep-alive to
// the upstream, no access log. Started only when `which nginx` finds it (Debian: `apt-get install nginx-light`).
/* global AbortSignal */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.mjs";

function config(dir, port, upstream) {
  const temp = (name) => `${name}_temp_path ${join(dir, name)};`;
  return `worker_processes 1;
daemon off;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
  upstream bench_upstream { server ${upstream.host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts nginx in front of `upstreamUrl` (http://127.0.0.1:port). Returns its port, the pid of its one worker
 * (where the proxying happens, for CPU accounting) and `stop`.
 */
export async function startNginx(nginxBinary, upstreamUrl) {
  const dir = mkdtempSync(join(tmpdir(), "flaremesh-bench-nginx-"));
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, config(dir, port, new URL(upstreamUrl)));
  const master = spawn(nginxBinary, ["-p", dir, "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  master.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => master.once("exit", resolve));
  const stop = async () => {
    master.kill("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (master.exitCode !== null) throw new Error(`nginx exited: ${stderr || readLog(dir)}`);
      const worker = workerPid(master.pid);
      if (worker !== null && (await answers(port))) return { port, pid: worker, masterPid: master.pid, stop };
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr || readLog(dir)}`);
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

function readLog(dir) {
  try {
    return readFileSync(join(dir, "error.log"), "utf8");
  } catch {
    return "";
  }
}

/** The worker process nginx's master forked (its only child). */
function workerPid(masterPid) {
  try {
    const children = readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, "utf8").trim().split(/\s+/);
    return children[0] ? Number(children[0]) : null;
  } catch {
    return null;
  }
}

async function answers(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}
