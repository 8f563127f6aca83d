// `npx node bench/compare-routing.mjs <git-rev> [rounds] [budgetMs]`: pure `matchRoute` timings (Zipf traffic, 10 and
// 10,000 routes, both route mixes) of another git revision's shared/routing and of the working tree's, measured by
// the same harness (the working tree's bench/lib/route-scale-entry.ts) in alternating child processes, so that a
// busy machine slows both alike. Prints the median ns per lookup of each and the per-round ratios 10,000 / 10.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/lib/local-mesh.mjs";
import { revisionWorktree } from "./lib/worktree.mjs";

const [rev, roundsArg, budgetArg] = process.argv.slice(2);
if (!rev) throw new Error("usage: compare-routing.mjs <git-rev> [rounds] [budgetMs]");
const rounds = Number(roundsArg ?? 6);
const budgetMs = Number(budgetArg ?? 2000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { sha, dir, remove } = revisionWorktree(rev);
try {
  // The same harness for both: only shared/ differs.
  copyFileSync(join(ROOT, "bench/lib/route-scale-entry.ts"), join(dir, "bench/lib/route-scale-entry.ts"));
  const esbuild = await import("esbuild");
  const trees = { [sha]: dir, "working tree": ROOT };
  const mains = {};
  for (const [name, tree] of Object.entries(trees)) {
    const out = mkdtempSync(join(dir, ".routing-"));
    await esbuild.build({
      entryPoints: [join(tree, "bench/lib/route-scale-entry.ts")],
      outfile: join(out, "entry.mjs"),
      bundle: true,
      format: "esm",
      platform: "node",
      target: "es2023",
      logLevel: "silent",
    });
    mains[name] = join(out, "main.mjs");
    writeFileSync(
      mains[name],
      `import { measureAll } from "./entry.mjs";
const rows = measureAll([10, 10000], ${budgetMs}, 5).filter((r) => r.distribution === "zipf");
process.stdout.write(JSON.stringify(Object.fromEntries(rows.map((r) => [r.mix + " " + r.routes, r.nsPerLookup]))));`,
    );
  }
  const results = Object.fromEntries(Object.keys(trees).map((name) => [name, []]));
  const names = Object.keys(trees);
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      results[name].push(JSON.parse(execFileSync(process.execPath, [mains[name]], { encoding: "utf8" })));
      console.log(`round ${r + 1}/${rounds}: ${name}`);
    }
  }
  for (const name of names) {
    const runs = results[name];
    const cells = Object.keys(runs[0]).map((key) => `${key}: ${median(runs.map((run) => run[key]))} ns`);
    const ratios = ["regex", "indexed"].map(
      (mix) => `${mix} ×${runs.map((run) => (run[`${mix} 10000`] / run[`${mix} 10`]).toFixed(2)).join(" ")}`,
    );
    console.log(`${name} (median of ${rounds}): ${cells.join(", ")}\n  10,000/10 by round: ${ratios.join("; ")}`);
  }
} finally {
  remove();
}
