// Test projects: pure unit tests (node), control-plane tests in the Workers pool (workerd), and behaviour /
// end-to-end tests that run the real mesh in workerd through Miniflare and talk to it over HTTP.
import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";

export default defineConfig({
  test: {
    reporters: process.env.CI ? ["default"] : ["default"],
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          globalSetup: ["test/helpers/temp-root.ts"],
          include: ["shared/**/*.test.ts", "workers/**/*.test.ts", "control/**/*.test.ts", "test/unit/**/*.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { MESH_ADMIN_TOKEN: "test-admin", MESH_READONLY_TOKEN: "test-viewer", MESH_ENV: "development" },
            },
          }),
        ],
        test: {
          name: "control",
          include: ["test/control/**/*.test.ts"],
          // The first request of a file loads the whole control Worker through Vite (several seconds on a busy machine).
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "behaviour",
          environment: "node",
          globalSetup: ["test/helpers/temp-root.ts"],
          include: [
            "test/proxy/**/*.test.ts",
            "test/cli/**/*.test.ts",
            "test/e2e/**/*.test.ts",
            "test/demo/**/*.test.ts",
            "test/observability/**/*.test.ts",
            "test/security/**/*.test.ts",
            "test/traffic/**/*.test.ts",
            "test/resilience/**/*.test.ts",
            "test/bench/**/*.test.ts",
            "test/reliability/**/*.test.ts",
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
