// `flaremesh status`: the current revision and the revision each recently seen proxy serves.

import { Option } from "commander";
import { formatAge, formatTable, paint, printStructured } from "./output.mjs";

export function registerStatus(program, { clientOf }) {
  program
    .command("status")
    .description("show the current configuration revision and the proxies serving it")
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table"))
    .action(async (options, command) => {
      const client = clientOf(command);
      const answer = await client.request("GET", "/v1/status");
      if (options.output !== "table") return printStructured(options.output, answer);
      const proxies = Array.isArray(answer.proxies) ? answer.proxies : [];
      process.stdout.write(`Control plane: ${client.server}\nRevision:      ${answer.revision}\n`);
      if (proxies.length === 0) {
        process.stdout.write("Proxies:       none seen recently\n");
        return;
      }
      const now = Date.now();
      const rows = proxies.map((p) => [
        p.id,
        p.worker,
        p.revision ?? "<none>",
        p.upToDate ? paint("green", "yes") : paint("yellow", "no"),
        formatAge(p.lastSeen, now),
      ]);
      process.stdout.write(`\n${formatTable(["PROXY", "WORKER", "REVISION", "UP-TO-DATE", "LAST SEEN"], rows)}`);
    });
}
