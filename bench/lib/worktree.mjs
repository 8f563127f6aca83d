// A checkout of another git revision for before/after tools, with this checkout's node_modules.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";

const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();

/** `{ sha, dir, remove }`: a detached worktree of `rev` under `.bench-revisions/` (inside the checkout: workerd refuses Worker scripts outside the directory it was started from). */
export function revisionWorktree(rev) {
  const sha = git("rev-parse", "--short", rev);
  mkdirSync(join(ROOT, ".bench-revisions"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".bench-revisions", `${sha}-`));
  git("worktree", "add", "--detach", dir, rev);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return { sha, dir, remove: () => git("worktree", "remove", "--force", dir) };
}
