// `npm run deploy [-- --dry-run] [-- --env staging]`: deploys (or, with --dry-run, only bundles) every Worker of the
// mesh with wrangler, from the same configurations the local mesh runs. Order: control plane, telemetry shipper (it
// reads the message formats of the proxy version being deployed and of the one before), proxy, demo Workers.
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { ROOT, workerConfigPaths } from "./lib/local-mesh.mjs";

const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const withDemo = !args.includes("--no-demo");
const passthrough = args.filter((a) => a !== "--no-demo");

const [proxy, control, ...rest] = workerConfigPaths();
// The telemetry shipper is part of the mesh, not of the demo (its queue: `wrangler queues create flaremesh-telemetry`).
const telemetry = rest.filter((p) => p.endsWith("infra/telemetry.toml"));
const demos = rest.filter((p) => !telemetry.includes(p));
const order = [control, ...telemetry, proxy, ...(withDemo ? demos : [])];
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

let failed = 0;
for (const config of order) {
  const name = relative(ROOT, config);
  const outdir = join(ROOT, "dist", relative(ROOT, config).replace(/[/.]/g, "_"));
  const cmd = ["deploy", "-c", config, ...(dryRun ? ["--outdir", outdir] : []), ...passthrough];
  process.stdout.write(`\n== ${dryRun ? "bundling" : "deploying"} ${name}\n`);
  const r = spawnSync(process.execPath, [wrangler, ...cmd], { cwd: ROOT, env, stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`!! ${name} failed (exit ${r.status})\n`);
  }
}
process.stdout.write(
  `\n${order.length - failed}/${order.length} Workers ${dryRun ? "bundled (dry run)" : "deployed"}\n`,
);
process.exit(failed ? 1 : 0);
