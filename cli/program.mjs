// The `flaremesh` command line: global options, the commands, and how failures become exit codes.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { registerApply } from "./apply.mjs";
import { createClient } from "./client.mjs";
import { resolveConnection } from "./config.mjs";
import { registerConfig } from "./config-command.mjs";
import { registerCredential } from "./credential.mjs";
import { registerDelete } from "./delete.mjs";
import { registerDescribe } from "./describe.mjs";
import { registerDiff } from "./diff.mjs";
import { EXIT } from "./errors.mjs";
import { registerGenerate } from "./generate.mjs";
import { registerGet } from "./get.mjs";
import { registerHistory } from "./history.mjs";
import { registerLogs } from "./logs.mjs";
import { reportError } from "./output.mjs";
import { registerStatus } from "./status.mjs";
import { registerToken } from "./token.mjs";
import { registerTopology } from "./topology.mjs";
import { registerValidate } from "./validate.mjs";
import { ROOT } from "./validation.mjs";

export const DEFAULT_SERVER = "http://localhost:8787";

/**
 * A client for the server and token in effect for `command`: flags win over FLAREMESH_SERVER / FLAREMESH_TOKEN,
 * which win over the selected context of the config file, which wins over the default server.
 */
function clientOf(command) {
  const { server, token, context } = command.optsWithGlobals();
  const serverSource = command.getOptionValueSourceWithGlobals("server");
  return createClient(resolveConnection({ server, serverSource, token, context }));
}

/** Commander accumulator for repeatable options such as `-f a.yaml -f dir/`. */
function collect(value, previous) {
  return [...previous, value];
}

export function buildProgram() {
  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
  const program = new Command("flaremesh")
    .description("kubectl-style CLI for the flaremesh control plane")
    .version(version)
    .addOption(new Option("--server <url>", "control plane URL").env("FLAREMESH_SERVER").default(DEFAULT_SERVER))
    .addOption(
      new Option("--token <token>", "bearer token (a loopback server gets the development token by default)").env(
        "FLAREMESH_TOKEN",
      ),
    )
    .addOption(
      new Option("--context <name>", "a named mesh from the config file (see `flaremesh config`)").env(
        "FLAREMESH_CONTEXT",
      ),
    )
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 success; 1 differences (diff), invalid resources, or an error answered by the control plane;\n" +
        "2 a usage error or a control plane that cannot be reached (diff: any failure).",
    )
    .exitOverride();
  const deps = { clientOf, collect };
  registerApply(program, deps);
  registerGet(program, deps);
  registerDelete(program, deps);
  registerDiff(program, deps);
  registerValidate(program, deps);
  registerDescribe(program, deps);
  registerHistory(program, deps);
  registerStatus(program, deps);
  registerTopology(program, deps);
  registerLogs(program, deps);
  registerToken(program, deps);
  registerCredential(program, deps);
  registerConfig(program);
  registerGenerate(program);
  // Every subcommand stops at its own errors too (commander otherwise calls process.exit).
  const override = (command) => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI on `argv` (process.argv shape) and resolves to the exit code. */
export async function main(argv) {
  const program = buildProgram();
  let invoked = "";
  program.hook("preAction", (_program, action) => {
    invoked = action.name();
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    // --help and --version exit 0; any other commander error is a usage error.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const code = reportError(err);
    // `diff` keeps 1 for "there are differences", so its failures are 2, as with kubectl diff.
    return invoked === "diff" ? Math.max(code, EXIT.unreachable) : code;
  }
}
