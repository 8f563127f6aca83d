// `flaremesh delete KIND NAME` (or `-f FILE`): removes resources, one new revision per deletion.

import { ApiError, InputError, UsageError } from "./errors.mjs";
import { resolveKind } from "./kinds.mjs";
import { loadDocuments } from "./sources.mjs";

export function registerDelete(program, { clientOf, collect }) {
  program
    .command("delete")
    .description("delete resources: delete KIND NAME, or delete -f FILE|DIR|- for every resource the files name")
    .argument("[kind]", "a kind, case-insensitive, plural or short (svc, vs, dr, httproute...)")
    .argument("[name]", "the resource's name")
    .option("-n, --namespace <namespace>", "the namespace", "default")
    .option("-f, --filename <path>", "delete the resources these files describe; repeatable", collect, [])
    .option("--ignore-not-found", "treat a resource that does not exist as deleted")
    .action(async (kindArg, name, options, command) => {
      const targets = await targetsOf(kindArg, name, options);
      const client = clientOf(command);
      for (const { kind, namespace, name: target } of targets) {
        try {
          await client.request("DELETE", `/v1/resources/${enc(kind)}/${enc(namespace)}/${enc(target)}`);
          process.stdout.write(`${kind.toLowerCase()}/${target} deleted\n`);
        } catch (err) {
          if (!(options.ignoreNotFound && err instanceof ApiError && err.status === 404)) throw err;
        }
      }
    });
}

const enc = encodeURIComponent;

async function targetsOf(kindArg, name, options) {
  if (options.filename.length > 0) {
    if (kindArg !== undefined) throw new UsageError("give either KIND NAME or -f, not both");
    const docs = await loadDocuments(options.filename);
    return docs.map(({ doc, source, index }) => {
      const kind = doc?.kind;
      const docName = doc?.metadata?.name;
      if (typeof kind !== "string" || typeof docName !== "string") {
        throw new InputError(`${source}: document ${index} has no kind or metadata.name`);
      }
      return { kind: resolveKind(kind) ?? kind, namespace: doc.metadata.namespace ?? options.namespace, name: docName };
    });
  }
  if (kindArg === undefined || name === undefined) throw new UsageError("delete needs KIND NAME (or -f FILE)");
  return [{ kind: resolveKind(kindArg) ?? kindArg, namespace: options.namespace, name }];
}
