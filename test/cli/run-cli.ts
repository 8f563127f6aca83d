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
