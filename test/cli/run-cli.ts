// Runs the real `bin/flaremesh.mjs` in a child process (async, so a mesh in this process keeps serving).
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/flaremesh.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `flaremesh ...args` with a clean environment (no FLAREMESH_* from the caller, no colour). */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("FLAREMESH_") && key !== "FORCE_COLOR") env[key] = value;
  }
  Object.assign(env, { NO_COLOR: "1" }, options.env);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export interface RunningCli {
  /** Resolves with the first match of `pattern` in stdout or stderr (rejects after `timeoutMs`). */
  waitFor(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` (SIGINT, like Ctrl-C) and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** A long-running `flaremesh ...args` (e.g. `logs --follow`), with the same clean environment as runCli. */
export function startCli(args: string[], options: { env?: Record<string, string> } = {}): RunningCli {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("FLAREMESH_") && key !== "FORCE_COLOR") env[key] = value;
  }
  Object.assign(env, { NO_COLOR: "1" }, options.env);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  const waiters: (() => void)[] = [];
  const notify = () => waiters.forEach((w) => w());
  child.stdout.on("data", (d) => ((out.stdout += d), notify()));
  child.stderr.on("data", (d) => ((out.stderr += d), notify()));
  const exited = new Promise<CliResult>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: out.stdout, stderr: out.stderr })),
  );
  return {
    waitFor(stream, pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out[stream].match(pattern);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(
          () =>
            reject(new Error(`timed out waiting for ${String(pattern)} in ${stream}:\n${out.stdout}\n${out.stderr}`)),
          timeoutMs,
        );
        waiters.push(check);
        check();
      });
    },
    async stop(signal = "SIGINT") {
      child.kill(signal);
      return exited;
    },
  };
}
