// `flaremesh credential create|revoke SERVICE`: credentials for workloads outside Workers, which exchange them
// for short-lived identity tokens (POST /v1/identity/token). Contract §5.

import { Option } from "commander";
import { formatTable, printStructured } from "./output.mjs";
import { withEndpoint } from "./token.mjs";

export function registerCredential(program, { clientOf }) {
  const credential = program
    .command("credential")
    .description("mint and revoke workload credentials for services running outside Workers");

  credential
    .command("create")
    .description("mint a credential for SERVICE; the secret is shown once")
    .argument("<service>", "the Service the workload runs as (its identity is that Service's principal)")
    .option("-n, --namespace <namespace>", "the Service's namespace", "default")
    .addOption(
      new Option("-o, --output <format>", "text, credential (the secret alone), json or yaml")
        .choices(["text", "credential", "json", "yaml"])
        .default("text"),
    )
    .action(async (service, options, command) => {
      const answer = await withEndpoint("POST /v1/credentials", () =>
        clientOf(command).request("POST", "/v1/credentials", {
          body: JSON.stringify({ service, namespace: options.namespace }),
        }),
      );
      if (options.output === "json" || options.output === "yaml") return printStructured(options.output, answer);
      if (options.output === "credential") return process.stdout.write(`${answer.credential}\n`);
      process.stdout.write(`credential for ${answer.service ?? service} created\n  credential: ${answer.credential}\n`);
      process.stderr.write(
        "The credential is shown only once. The workload exchanges it for an identity token:\n" +
          "  curl -X POST -H 'Authorization: Bearer <credential>' <server>/v1/identity/token\n",
      );
    });

  credential
    .command("revoke")
    .description("revoke SERVICE's credential; identity tokens already issued expire on their own")
    .argument("<service>", "the Service whose credential to revoke")
    .option("-n, --namespace <namespace>", "the Service's namespace", "default")
    .action(async (service, options, command) => {
      const query = `?namespace=${encodeURIComponent(options.namespace)}`;
      await withEndpoint("DELETE /v1/credentials/{service}", () =>
        clientOf(command).request("DELETE", `/v1/credentials/${encodeURIComponent(service)}${query}`),
      );
      process.stdout.write(`credential for ${options.namespace}/${service} revoked\n`);
    });

  credential
    .command("list")
    .description("list the services that hold a workload credential (never the secrets)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table"))
    .action(async (options, command) => {
      const answer = await withEndpoint("GET /v1/credentials", () =>
        clientOf(command).request("GET", "/v1/credentials"),
      );
      if (options.output !== "table") return printStructured(options.output, answer);
      const items = Array.isArray(answer?.items) ? answer.items : [];
      const rows = items.map((c) => [c.namespace ?? "default", c.service ?? "", c.createdAt ?? c.created ?? ""]);
      process.stdout.write(formatTable(["NAMESPACE", "SERVICE", "CREATED"], rows));
    });
}
