// The `flaremesh` command line: global options, the commands, and how failures become exit codes.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { registerApply } from "./apply.mjs";
import { createClient } from "./client.mjs";
import { registerDelete } from "./delete.mjs";
import { registerDiff } from "./diff.mjs";
import { EXIT } from "./errors.mjs";
import { registerGet } from "./get.mjs";
import { registerHistory } from "./history.mjs";
import { reportError } from "./output.mjs";
import { registerStatus } from "./status.mjs";
import { registerValidate } from "./validate.mjs";
import { ROOT } from "./validation.mjs";

export const DEFAULT_SERVER = "http://localhost:8787";

/** A client for the server and token in effect for `command` (flags win over FLAREMESH_SERVER / FLAREMESH_TOKEN). */
function clientOf(command) {
  const { server, token } = command.optsWithGlobals();
  return createClient({ server, token });
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
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  const deps = { clientOf, collect };
  registerApply(program, deps);
  registerGet(program, deps);
  registerDelete(program, deps);
  registerDiff(program, deps);
  registerValidate(program, deps);
  registerHistory(program, deps);
  registerStatus(program, deps);
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
    if (err instanceof CommanderError) return err.exitCode;
    const code = reportError(err);
    // `diff` keeps 1 for "there are differences", so its failures are 2, as with kubectl diff.
    return invoked === "diff" ? Math.max(code, EXIT.unreachable) : code;
  }
}
