// Starts bench/lib/upstream-server.mjs as a child process (same Node as the benchmark) and reads its ports.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { request } from "node:http";

export async function startUpstream() {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./upstream-server.mjs", import.meta.url))], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const ports = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl !== -1) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.on("exit", (code) => reject(new Error(`upstream exited with ${code}`)));
  });
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${ports.upstreamPort}`,
    port: ports.upstreamPort,
    receiverUrl: `http://127.0.0.1:${ports.receiverPort}/ingest`,
    receiverStats: () => getJson(ports.receiverPort, "/stats"),
    async stop() {
      child.stdin.end();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    },
  };
}

function getJson(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(JSON.parse(body)));
    });
    req.on("error", reject);
    req.end();
  });
}
