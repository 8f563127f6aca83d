// `flaremesh history` (the revision log) and `flaremesh rollback REVISION`.

import { Option } from "commander";
import { UsageError } from "./errors.mjs";
import { formatTable, printStructured } from "./output.mjs";

const outputOption = () =>
  new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table");

export function registerHistory(program, { clientOf }) {
  program
    .command("history")
    .description("list configuration revisions: REVISION TIME ACTOR SUMMARY")
    .addOption(outputOption())
    .action(async (options, command) => {
      const answer = await clientOf(command).request("GET", "/v1/revisions");
      const items = Array.isArray(answer.items) ? answer.items : [];
      if (options.output !== "table") return printStructured(options.output, answer);
      const rows = items.map((r) => [r.revision, r.time, r.actor, r.summary]);
      process.stdout.write(formatTable(["REVISION", "TIME", "ACTOR", "SUMMARY"], rows));
    });

  program
    .command("rollback")
    .description("make a new revision whose content equals REVISION")
    .argument("<revision>", "the revision to return to (see `flaremesh history`)")
    .addOption(outputOption())
    .action(async (revisionArg, options, command) => {
      if (!/^\d+$/.test(revisionArg))
        throw new UsageError(`revision must be a non-negative integer, not "${revisionArg}"`);
      const revision = Number(revisionArg);
      const answer = await clientOf(command).request("POST", "/v1/rollback", { body: JSON.stringify({ revision }) });
      if (options.output !== "table") return printStructured(options.output, answer);
      process.stdout.write(
        answer.changed === false
          ? `already at the content of revision ${revision}; nothing changed (current revision ${answer.revision})\n`
          : `rolled back to revision ${revision} (new revision ${answer.revision})\n`,
      );
    });
}
