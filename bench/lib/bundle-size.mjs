// The proxy's deployable size: workers/proxy/src/index.ts bundled and minified with esbuild, as wrangler would.
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/local-mesh.mjs";

export const BUNDLE_LIMIT_BYTES = 1024 * 1024;

export async function proxyBundleSize() {
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    entryPoints: [join(ROOT, "workers/proxy/src/index.ts")],
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "silent",
    metafile: true,
  });
  const code = out.outputFiles[0].contents;
  // The largest inputs, so that growth is easy to trace.
  const inputs = Object.entries(out.metafile.outputs[Object.keys(out.metafile.outputs)[0]].inputs)
    .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  const byPackage = {};
  for (const { path, bytes } of inputs) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1] : path.split("/").slice(0, 2).join("/");
    byPackage[key] = (byPackage[key] ?? 0) + bytes;
  }
  return {
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code).length,
    limitBytes: BUNDLE_LIMIT_BYTES,
    largest: Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, bytes]) => ({ name, bytes })),
  };
}
