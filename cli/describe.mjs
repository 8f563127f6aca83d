// `flaremesh describe KIND NAME`: one resource in detail — what it is, which Services it acts on (and, for a
// Service, what acts on it), the revisions that touched it, and its spec.

import YAML from "yaml";
import { ApiError } from "./errors.mjs";
import { resolveKind } from "./kinds.mjs";
import { formatAge, formatTable, paint } from "./output.mjs";
import { loadValidation } from "./validation.mjs";

const RECENT = 5;

export function registerDescribe(program, { clientOf }) {
  program
    .command("describe")
    .description("show one resource in detail: the Services it affects and the recent revisions that touched it")
    .argument("<kind>", "a kind, case-insensitive, plural or short (svc, vs, dr, httproute...)")
    .argument("<name>", "the resource's name")
    .option("-n, --namespace <namespace>", "the namespace", "default")
    .action(async (kindArg, name, options, command) => {
      const client = clientOf(command);
      const kind = resolveKind(kindArg) ?? kindArg;
      const path = `/v1/resources/${[kind, options.namespace, name].map(encodeURIComponent).join("/")}`;
      const resource = await client.request("GET", path);
      const [all, revisions, analyze] = await Promise.all([
        client.request("GET", "/v1/resources"),
        client.request("GET", "/v1/revisions").catch((err) => {
          if (err instanceof ApiError) return { items: [] };
          throw err;
        }),
        loadValidation().then((v) => v.analyze),
      ]);
      process.stdout.write(describeResource(resource, all.items ?? [], revisions.items ?? [], analyze));
    });
}

/** The text `describe` prints, kubectl-describe style. Pure apart from the clock. */
export function describeResource(resource, all, revisions, analyze, now = Date.now()) {
  const { metadata = {} } = resource;
  const id = `${resource.kind}/${metadata.namespace}/${metadata.name}`;
  const labels = Object.entries(metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const field = (label, value) => `${`${label}:`.padEnd(18)}${value}\n`;
  let out = "";
  out += field("Name", metadata.name);
  out += field("Namespace", metadata.namespace ?? "default");
  out += field("Kind", resource.kind);
  out += field("API Version", resource.apiVersion);
  out += field("Labels", labels.length > 0 ? labels.join(", ") : "<none>");
  out += field("Resource Version", metadata.resourceVersion ?? "<unknown>");
  out += field(
    "Created",
    metadata.creationTimestamp
      ? `${metadata.creationTimestamp} (${formatAge(metadata.creationTimestamp, now)} ago)`
      : "<unknown>",
  );

  const affected = [];
  for (const e of analyze.affectedServices(resource, all)) {
    const row = affected.find((a) => a.service === e.service);
    if (row) row.roles.push(e.role);
    else affected.push({ service: e.service, roles: [e.role] });
  }
  out += `\n${paint("bold", "Affects Services:")}\n`;
  out +=
    affected.length === 0
      ? "  <none>\n"
      : indent(
          formatTable(
            ["SERVICE", "ROLE", "EXISTS"],
            affected.map((e) => [
              e.service,
              e.roles.join(", "),
              exists(all, e.service) ? "yes" : paint("yellow", "no"),
            ]),
          ),
        );

  if (resource.kind === "Service") {
    const key = `${metadata.namespace}/${metadata.name}`;
    const acting = analyze.resourcesAffecting(key, all);
    out += `\n${paint("bold", "Configured by:")}\n`;
    out +=
      acting.length === 0
        ? "  <nothing: default route to its own endpoints, no policies>\n"
        : indent(
            formatTable(
              ["KIND", "NAMESPACE", "NAME", "ROLE"],
              acting.map(({ resource: r, roles }) => [r.kind, r.metadata.namespace, r.metadata.name, roles.join(", ")]),
            ),
          );
  }

  const touching = revisions
    .filter((r) => String(r.revision) === String(metadata.resourceVersion) || String(r.summary ?? "").includes(id))
    .sort((a, b) => b.revision - a.revision)
    .slice(0, RECENT);
  out += `\n${paint("bold", "Recent revisions:")}\n`;
  out +=
    touching.length === 0
      ? "  <none recorded>\n"
      : indent(
          formatTable(
            ["REVISION", "TIME", "ACTOR", "SUMMARY"],
            touching.map((r) => [r.revision, r.time, r.actor, r.summary]),
          ),
        );

  out += `\n${paint("bold", "Spec:")}\n`;
  out += indent(YAML.stringify(resource.spec ?? {}));
  return out;
}

function exists(all, key) {
  return all.some((r) => r.kind === "Service" && `${r.metadata?.namespace}/${r.metadata?.name}` === key);
}

function indent(text) {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n")
    .concat("\n");
}
