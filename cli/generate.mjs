// `flaremesh generate -f mesh.yaml --out DIR`: wrangler configurations for a whole mesh from one manifest
// (infra/generator). Offline; deploy the result with wrangler (see docs/deploying.md).

import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { InputError, UsageError } from "./errors.mjs";

export function registerGenerate(program) {
  program
    .command("generate")
    .description("generate the wrangler configs of the control plane and every proxy from a mesh manifest")
    .requiredOption(
      "-f, --filename <path>",
      "the mesh manifest (kind: MeshManifest), see infra/generator/example-mesh.yaml",
    )
    .option("--out <dir>", "where to write the configurations", "dist/mesh")
    .action(async (options) => {
      let text;
      try {
        text = readFileSync(options.filename, "utf8");
      } catch {
        throw new UsageError(`cannot read the manifest "${options.filename}"`);
      }
      const { parseManifest } = await import("../infra/generator/manifest.mjs");
      const parsed = parseManifest(text);
      if (!parsed.ok) {
        throw new InputError(
          `${options.filename}: invalid mesh manifest`,
          parsed.problems.map((p) => `${p.path || "(document)"}: ${p.message}`),
        );
      }
      const { writeGenerated } = await import("../infra/generator/write.mjs");
      const result = await writeGenerated(parsed.manifest, options.out);
      const out = relative(process.cwd(), options.out) || ".";
      for (const c of result.configs) process.stdout.write(`${out}/${c.file} (${c.worker})\n`);
      process.stdout.write(
        `${result.configs.length} Worker configs for ${result.summary.environments.join(" and ")}, ` +
          `${result.snippets.length} egress snippets in ${out}/workers/, Service resources in ${out}/services.yaml\n` +
          `deploy the control plane first: npx wrangler deploy -c ${out}/control/wrangler.jsonc\n`,
      );
    });
}
