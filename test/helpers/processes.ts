// Real processes and servers for end-to-end tests: `npm start` as a user runs it, upstream HTTP servers on loopback.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface NpmStart {
  port: number;
  stateDir: string;
  output(): string;
  /** Sends `signal` to the whole job (as a terminal's Ctrl-C does for SIGINT) and waits for npm to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  child: ChildProcess;
}

/** Runs `npm start` like a user would, and resolves once it prints its `ready` line. */
export async function npmStart(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<NpmStart> {
  const port = Number(env.PORT ?? (await freePort()));
  const stateDir = env.MESH_STATE_DIR ?? mkdtempSync(join(tmpdir(), "flaremesh-state-"));
  const child = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), MESH_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, like a shell job, so that a Ctrl-C can be sent to the whole job.
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      if (/\bready\b/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  return {
    port,
    stateDir,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      process.kill(-child.pid!, signal);
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface Upstream {
  url: string;
  port: number;
  /** Requests received, in order. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A real HTTP server on loopback that answers JSON `{name, path}` (or what `handler` writes). */
export async function startUpstream(
  name: string,
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<Upstream> {
  const requests: Upstream["requests"] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (handler) return handler(req, res);
    req.resume();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ name, path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every live descendant process of `pid` (to prove that stopping leaves none behind). */
export async function descendants(pid: number): Promise<number[]> {
  const { readdirSync, readFileSync } = await import("node:fs");
  const parent = new Map<number, number>();
  for (const p of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") parent.set(Number(p), Number(fields[1]));
    } catch {
      /* process ended */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** True while `pid` runs (a zombie, already exited but not yet reaped, does not count). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** A one-line description of `pid` for failure messages. */
export function describeProcess(pid: number): string {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").slice(0, 120)}`;
  } catch {
    return `${pid} (gone)`;
  }
}
