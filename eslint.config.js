// Lint: typescript-eslint's recommended rules for all TypeScript and JavaScript in the repo.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".mesh/",
      "dist/",
      ".wrangler/",
      "**/worker-configuration.d.ts",
      "test-artifacts/",
      "bench/results*.json",
      ".bench-revisions/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        fetch: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
      // `import { z }` pulls all of zod into every Worker bundle (esbuild cannot tree-shake that object); the
      // namespace import lets it keep only what is used (docs/benchmarks.md, optimisation 12).
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: 'Use `import * as z from "zod"` (tree-shakable).',
        },
      ],
    },
  },
);
