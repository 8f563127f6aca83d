// Named meshes: ~/.config/flaremesh/config.yaml (or $FLAREMESH_CONFIG) holds contexts {name, server, token},
// like a kubeconfig. Precedence for the server and token: flag, then environment, then context, then default.

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import YAML from "yaml";
import { UsageError } from "./errors.mjs";

/** Where the config file lives: $FLAREMESH_CONFIG, else $XDG_CONFIG_HOME/flaremesh/config.yaml, else ~/.config/…. */
export function configPath(env = process.env) {
  if (env.FLAREMESH_CONFIG) return env.FLAREMESH_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "flaremesh", "config.yaml");
}

/**
 * @typedef {{name: string, server?: string, token?: string}} Context
 * @typedef {{currentContext?: string, contexts: Context[]}} Config
 */

/** The parsed config file; an absent file is an empty config. Accepts `current-context` and `currentContext`. */
export function readConfig(path = configPath()) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err && err.code === "ENOENT") return { contexts: [] };
    throw new UsageError(`cannot read the config file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let raw;
  try {
    raw = YAML.parse(text) ?? {};
  } catch (err) {
    throw new UsageError(`the config file ${path} is not valid YAML`, [
      err instanceof Error ? err.message : String(err),
    ]);
  }
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UsageError(`the config file ${path} must be a map`);
  const list = Array.isArray(raw.contexts)
    ? raw.contexts
    : raw.contexts && typeof raw.contexts === "object"
      ? Object.entries(raw.contexts).map(([name, value]) => ({ ...value, name }))
      : [];
  const contexts = list.map((c, i) => {
    if (!c || typeof c !== "object" || typeof c.name !== "string" || c.name === "") {
      throw new UsageError(`the config file ${path}: contexts[${i}] needs a name`);
    }
    const context = { name: c.name };
    if (typeof c.server === "string") context.server = c.server;
    if (typeof c.token === "string") context.token = c.token;
    return context;
  });
  const current = raw["current-context"] ?? raw.currentContext;
  return { currentContext: typeof current === "string" ? current : undefined, contexts };
}

/** Writes the config file, readable by its owner only (it holds bearer tokens). */
export function writeConfig(config, path = configPath()) {
  mkdirSync(dirname(path), { recursive: true });
  const doc = {
    ...(config.currentContext ? { "current-context": config.currentContext } : {}),
    contexts: config.contexts,
  };
  writeFileSync(path, YAML.stringify(doc), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The context to use: `--context`/FLAREMESH_CONTEXT when given (it must exist), else current-context if any. */
export function selectContext(config, requested, path = configPath()) {
  if (requested) {
    const found = config.contexts.find((c) => c.name === requested);
    if (!found) {
      const known = config.contexts.map((c) => c.name).join(", ") || "none";
      throw new UsageError(`no context "${requested}" in ${path} (known: ${known})`);
    }
    return found;
  }
  if (!config.currentContext) return undefined;
  return config.contexts.find((c) => c.name === config.currentContext);
}

/**
 * Server and token in effect: a flag or environment variable wins, then the context, then the default.
 * @param {{server: string, serverSource: string | undefined, token?: string, context?: string}} options
 */
export function resolveConnection({ server, serverSource, token, context }) {
  const fromFlagOrEnv = serverSource === "cli" || serverSource === "env";
  const needContext = !fromFlagOrEnv || token === undefined || context !== undefined;
  const ctx = needContext ? selectContext(readConfig(), context) : undefined;
  return {
    server: fromFlagOrEnv ? server : (ctx?.server ?? server),
    token: token ?? ctx?.token,
    context: ctx?.name,
  };
}
