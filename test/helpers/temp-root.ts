// Vitest global setup: every temporary file of a test run — state directories, bundles, Prometheus and syslog-ng
// data, the CLI's generated configs, and whatever Miniflare, wrangler and workerd write under the system's
// temporary directory — goes under one directory made for the run and removed when it ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  // Test workers and the processes they start inherit it; os.tmpdir() reads it on every call.
  const root = mkdtempSync(join(tmpdir(), "flaremesh-test-"));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
