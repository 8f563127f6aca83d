// `flaremesh token create|revoke|list`: admin and viewer bearer tokens for the control API
// (POST /v1/tokens {role, ttl} → {id, token, role, expiresAt}; DELETE /v1/tokens/{id}).

import { Option } from "commander";
import { ApiError, UsageError } from "./errors.mjs";
import { formatTable, printStructured } from "./output.mjs";

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

export function registerToken(program, { clientOf }) {
  const token = program.command("token").description("mint, list and revoke bearer tokens for the control API");

  token
    .command("create")
    .description("mint a token; it is shown once, store it now")
    .addOption(
      new Option("--role <role>", "admin: everything; editor: apply/delete/rollback; viewer: read only")
        .choices(["admin", "editor", "viewer"])
        .default("viewer"),
    )
    .option("--ttl <duration>", "lifetime, e.g. 30m, 12h, 7d (default: the control plane's)")
    .addOption(
      new Option("-o, --output <format>", "text, token (the secret alone, for scripts), json or yaml")
        .choices(["text", "token", "json", "yaml"])
        .default("text"),
    )
    .action(async (options, command) => {
      if (options.ttl !== undefined && !DURATION.test(options.ttl)) {
        throw new UsageError(`--ttl must be a duration such as 30m, 12h or 7d, not "${options.ttl}"`);
      }
      const body = { role: options.role, ...(options.ttl ? { ttl: options.ttl } : {}) };
      const answer = await withEndpoint("POST /v1/tokens", () =>
        clientOf(command).request("POST", "/v1/tokens", { body: JSON.stringify(body) }),
      );
      if (options.output === "json" || options.output === "yaml") return printStructured(options.output, answer);
      if (options.output === "token") return process.stdout.write(`${answer.token}\n`);
      process.stdout.write(
        `token/${answer.id} created\n  role:       ${answer.role}\n  expires at: ${answer.expiresAt ?? "never"}\n  token:      ${answer.token}\n`,
      );
      process.stderr.write("The token is shown only once. Revoke it with: flaremesh token revoke " + answer.id + "\n");
    });

  token
    .command("revoke")
    .description("revoke a token by its id; it stops working at once")
    .argument("<id>", "the token id printed by `token create` (not the secret)")
    .action(async (id, _options, command) => {
      await withEndpoint("DELETE /v1/tokens/{id}", () =>
        clientOf(command).request("DELETE", `/v1/tokens/${encodeURIComponent(id)}`),
      );
      process.stdout.write(`token/${id} revoked\n`);
    });

  token
    .command("list")
    .description("list the tokens minted through the API (ids, roles, expiry; never the secrets)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table"))
    .action(async (options, command) => {
      const answer = await withEndpoint("GET /v1/tokens", () => clientOf(command).request("GET", "/v1/tokens"));
      if (options.output !== "table") return printStructured(options.output, answer);
      const items = Array.isArray(answer?.items) ? answer.items : [];
      process.stdout.write(
        formatTable(
          ["ID", "ROLE", "EXPIRES AT"],
          items.map((t) => [t.id, t.role, t.expiresAt ?? "never"]),
        ),
      );
    });
}

/** A 404 from an endpoint the control plane does not have (an older version) reads better with its name. */
export async function withEndpoint(endpoint, call) {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && /no such endpoint/.test(err.message)) {
      throw new ApiError(404, err.code, `this control plane does not serve ${endpoint}`, err.details);
    }
    throw err;
  }
}
