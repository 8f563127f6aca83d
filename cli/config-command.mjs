// `flaremesh config …`: manage named meshes (contexts) in the config file, kubectl-config style.

import { UsageError } from "./errors.mjs";
import { configPath, readConfig, writeConfig } from "./config.mjs";
import { formatTable } from "./output.mjs";
import YAML from "yaml";

export function registerConfig(program) {
  const config = program
    .command("config")
    .description(
      `manage named meshes (contexts) in the config file ($FLAREMESH_CONFIG or ~/.config/flaremesh/config.yaml)`,
    );

  config
    .command("get-contexts")
    .description("list the contexts; * marks the current one")
    .action(() => {
      const { currentContext, contexts } = readConfig();
      const rows = contexts.map((c) => [
        c.name === currentContext ? "*" : "",
        c.name,
        c.server ?? "",
        c.token ? "yes" : "no",
      ]);
      process.stdout.write(formatTable(["CURRENT", "NAME", "SERVER", "TOKEN"], rows));
    });

  config
    .command("current-context")
    .description("print the current context's name")
    .action(() => {
      const { currentContext } = readConfig();
      if (!currentContext) throw new UsageError(`no current context is set in ${configPath()}`);
      process.stdout.write(`${currentContext}\n`);
    });

  config
    .command("use-context")
    .description("make NAME the current context")
    .argument("<name>", "a context name")
    .action((name) => {
      const cfg = readConfig();
      if (!cfg.contexts.some((c) => c.name === name)) throw new UsageError(`no context "${name}" in ${configPath()}`);
      writeConfig({ ...cfg, currentContext: name });
      process.stdout.write(`switched to context "${name}"\n`);
    });

  config
    .command("set-context")
    .description(
      "create or update context NAME from --server URL and --token TOKEN given on this command line (the file is written with mode 0600)",
    )
    .argument("<name>", "a context name")
    .option("--use", "also make it the current context")
    .action((name, options, command) => {
      const cfg = readConfig();
      const existing = cfg.contexts.find((c) => c.name === name);
      const updated = { ...(existing ?? { name }) };
      // --server and --token are the global options; only values typed on this command line are stored.
      const given = (key) => command.getOptionValueSourceWithGlobals(key) === "cli";
      const globals = command.optsWithGlobals();
      if (given("server")) updated.server = globals.server;
      if (given("token")) updated.token = globals.token;
      const contexts = existing ? cfg.contexts.map((c) => (c === existing ? updated : c)) : [...cfg.contexts, updated];
      writeConfig({ currentContext: options.use ? name : cfg.currentContext, contexts });
      process.stdout.write(`context "${name}" ${existing ? "modified" : "created"}\n`);
    });

  config
    .command("delete-context")
    .description("remove context NAME")
    .argument("<name>", "a context name")
    .action((name) => {
      const cfg = readConfig();
      if (!cfg.contexts.some((c) => c.name === name)) throw new UsageError(`no context "${name}" in ${configPath()}`);
      writeConfig({
        currentContext: cfg.currentContext === name ? undefined : cfg.currentContext,
        contexts: cfg.contexts.filter((c) => c.name !== name),
      });
      process.stdout.write(`context "${name}" deleted\n`);
    });

  config
    .command("view")
    .description("print the config file with tokens redacted")
    .action(() => {
      const cfg = readConfig();
      const contexts = cfg.contexts.map((c) => (c.token ? { ...c, token: "REDACTED" } : c));
      process.stdout.write(`# ${configPath()}\n`);
      process.stdout.write(YAML.stringify({ "current-context": cfg.currentContext ?? null, contexts }));
    });
}
