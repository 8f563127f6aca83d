// Bundles route-scale-entry.ts (pure shared/routing code) for Node and runs it in a child process, so that the
// tight loop has a core's attention and a fresh heap.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `routeTableSource`: optional replacement text for shared/routing/route-table.ts (e.g. `git show HEAD:…`), to
 * measure a before/after of an optimisation with the same method.
 */
export async function routeScaling({ sizes = [10, 1_000, 10_000], budgetMs = 1000, reps = 5, routeTableSource } = {}) {
  const esbuild = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "flaremesh-route-scale-"));
  let stdout;
  try {
    const entry = join(dir, "entry.mjs");
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL("./route-scale-entry.ts", import.meta.url))],
      outfile: entry,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "es2023",
      logLevel: "silent",
      plugins:
        routeTableSource === undefined
          ? []
          : [
              {
                name: "route-table-override",
                setup(build) {
                  build.onLoad({ filter: /shared\/routing\/route-table\.ts$/ }, (args) => ({
                    contents: routeTableSource,
                    loader: "ts",
                    resolveDir: dirname(args.path),
                  }));
                },
              },
            ],
    });
    const main = join(dir, "main.mjs");
    writeFileSync(
      main,
      `import { measureAll } from "./entry.mjs";
process.stdout.write(JSON.stringify(measureAll(${JSON.stringify(sizes)}, ${budgetMs}, ${reps})));`,
    );
    stdout = await new Promise((resolve, reject) =>
      execFile(process.execPath, [main], { maxBuffer: 1 << 20 }, (err, out) => (err ? reject(err) : resolve(out))),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = JSON.parse(stdout);
  const ratio = (mix, dist) => {
    const at = (n) => rows.find((r) => r.mix === mix && r.distribution === dist && r.routes === n).nsPerLookup;
    return Math.round((at(Math.max(...sizes)) / at(Math.min(...sizes))) * 100) / 100;
  };
  const ratios = {};
  for (const mix of ["indexed", "regex"])
    for (const dist of ["zipf", "uniform"]) ratios[`${mix}/${dist}`] = ratio(mix, dist);
  return { sizes, rows, ratioLargestToSmallest: ratios };
}
