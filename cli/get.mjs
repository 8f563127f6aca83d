// `flaremesh get KIND|all [NAME]`: reads applied resources as a table, JSON, YAML or names.

import { Option } from "commander";
import { formatAge, formatTable, printStructured } from "./output.mjs";
import { resolveKind } from "./kinds.mjs";

export function registerGet(program, { clientOf }) {
  program
    .command("get")
    .description("show applied resources: get KIND [NAME], or get all")
    .argument("<kind>", "a kind, case-insensitive, plural or short (svc, vs, dr, httproute...), or all")
    .argument("[name]", "one resource by name")
    .option("-n, --namespace <namespace>", 'only this namespace (with NAME: default "default")')
    .addOption(
      new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml", "name"]).default("table"),
    )
    .action(async (kindArg, name, options, command) => {
      const client = clientOf(command);
      const all = kindArg.toLowerCase() === "all";
      const kind = all ? undefined : (resolveKind(kindArg) ?? kindArg);
      if (name !== undefined && !all) {
        const namespace = options.namespace ?? "default";
        const resource = await client.request("GET", `/v1/resources/${enc(kind)}/${enc(namespace)}/${enc(name)}`);
        return print(options.output, { revision: undefined, items: [resource] }, resource, all);
      }
      const listed = await client.request("GET", all ? "/v1/resources" : `/v1/resources/${enc(kind)}`);
      let items = Array.isArray(listed.items) ? listed.items : [];
      if (options.namespace) items = items.filter((r) => r.metadata?.namespace === options.namespace);
      if (all && name !== undefined) items = items.filter((r) => r.metadata?.name === name);
      return print(options.output, { revision: listed.revision, items }, undefined, all);
    });
}

const enc = encodeURIComponent;

function print(format, list, single, showKind) {
  if (format === "json" || format === "yaml") {
    return printStructured(format, single ?? list, single ? undefined : list.items);
  }
  if (format === "name") {
    for (const r of list.items) process.stdout.write(`${String(r.kind).toLowerCase()}/${r.metadata?.name}\n`);
    return;
  }
  if (list.items.length === 0) {
    process.stderr.write("No resources found.\n");
    return;
  }
  const now = Date.now();
  const headers = [...(showKind ? ["KIND"] : []), "NAMESPACE", "NAME", "REVISION", "AGE"];
  const rows = list.items.map((r) => [
    ...(showKind ? [r.kind] : []),
    r.metadata?.namespace ?? "default",
    r.metadata?.name ?? "",
    r.metadata?.resourceVersion ?? "",
    formatAge(r.metadata?.creationTimestamp, now),
  ]);
  process.stdout.write(formatTable(headers, rows));
}
